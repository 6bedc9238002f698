using Gordo.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gordo.Tests.Runtime;

/// <summary>A bare silo (runtime only, in-process membership) hosting the test grains below.</summary>
public sealed class RuntimeTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private RuntimeTestHost(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public Catalog Catalog => _host.Services.GetRequiredService<Catalog>();

    public GrainProbe Probe => _host.Services.GetRequiredService<GrainProbe>();

    public static async Task<RuntimeTestHost> StartAsync(TimeSpan? collectionAge = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<GrainCollectionOptions>(o =>
        {
            o.CollectionAge = collectionAge ?? TimeSpan.FromHours(1);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(50);
        });
        builder.AddGordoRuntime();
        builder.Services.AddSingleton<GrainProbe>();
        builder.Services.AddGrainInterface<ICounterGrain>("counter", (id, invoker) => new CounterGrainReference(id, invoker));
        builder.Services.AddGrain<CounterGrain>("counter");
        builder.Services.AddGrainInterface<IReentrantCounterGrain>("reentrant-counter", (id, invoker) => new CounterGrainReference(id, invoker));
        builder.Services.AddGrain<ReentrantCounterGrain>("reentrant-counter");
        var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new RuntimeTestHost(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
