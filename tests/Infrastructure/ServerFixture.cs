namespace Gordo.Tests.Infrastructure;

/// <summary>One server over the shared (read-only) test collection, for a test class.</summary>
public sealed class ServerFixture(TestCollection collection) : IAsyncLifetime
{
    private GordoServerHost? _server;

    public GordoServerHost Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public TestCollection Collection { get; } = collection;

    public async ValueTask InitializeAsync() =>
        _server = await GordoServerHost.StartAsync(Collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Api:ExpectedModels"] = "[\"pump-1\",\"windowed-smm\",]",
        });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
