using Gordo.Grains.Hosting;
using Gordo.Silo.Cluster;

namespace Gordo.Silo;

public static class SiloHostingExtensions
{
    /// <summary>Makes this process an Orleans silo hosting model grains, with Gordo's diagnostics and health checks.</summary>
    public static IHostApplicationBuilder AddGordoSilo(this IHostApplicationBuilder builder)
    {
        builder.AddGordoOrleansSilo();
        builder.AddModelGrains();
        var services = builder.Services;
        services.AddSingleton<ManagedStackSampler>();
        services.AddSingleton<SiloDiagnostics>();
        services.AddSingleton<ISiloControlHandler, SiloDiagnostics.DiagnosticsHandler>();
        services.AddSingleton<ISiloControlHandler, SiloDiagnostics.StacksHandler>();
        services.AddSingleton<ISiloControlHandler, SiloDiagnostics.VersionHandler>();
        services.AddSingleton<ISiloControlHandler, SiloDiagnostics.PingHandler>();
        services.AddSingleton<GordoHealthChecks>();
        services.AddHostedService<Memory.BurstMemoryTrimmer>();
        return builder;
    }

    /// <summary>Makes this process a gateway: an Orleans client that calls model grains on the cluster's silos and hosts none.</summary>
    public static IHostApplicationBuilder AddGordoGateway(this IHostApplicationBuilder builder)
    {
        builder.AddGordoOrleansClient();
        builder.AddModelStore();
        builder.Services.AddSingleton<GordoHealthChecks>();
        builder.Services.AddHostedService<Memory.BurstMemoryTrimmer>();
        return builder;
    }
}
