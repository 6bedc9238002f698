namespace Gordo.Tests.Infrastructure;

/// <summary>A server over the shared test collection with the V2 gRPC port open, for a test class.</summary>
public sealed class V2ServerFixture(TestCollection collection) : IAsyncLifetime
{
    private GordoServerHost? _server;

    public GordoServerHost Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public TestCollection Collection { get; } = collection;

    public int GrpcPort { get; } = FreePorts.Next();

    public string GrpcAddress => $"127.0.0.1:{GrpcPort}";

    public async ValueTask InitializeAsync() =>
        _server = await GordoServerHost.StartAsync(Collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Api:Host"] = "127.0.0.1",
            ["Gordo:Api:GrpcPort"] = GrpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
