using System.Net.Http.Headers;
using Gordo.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gordo.Tests.Infrastructure;

/// <summary>The real Gordo server (Kestrel on a loopback port, co-hosted silo) and an HttpClient for it.</summary>
public sealed class GordoServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GordoServerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Every log entry the host wrote (filtered by the host's log levels).</summary>
    public LogCapture Logs { get; private set; } = new();

    public static async Task<GordoServerHost> StartAsync(string collectionDirectory, IDictionary<string, string?>? settings = null)
    {
        var logs = new LogCapture();
        var app = GordoServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            var values = new Dictionary<string, string?>
            {
                ["Gordo:Models:CollectionDirectory"] = collectionDirectory,
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                values[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(values);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Gordo", LogLevel.Information);
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GordoServerHost(app, new Uri(address)) { Logs = logs };
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Client.PostAsync(path, content, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Client.GetAsync(path, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
