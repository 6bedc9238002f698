using Gordo.Grains.Hosting;
using Gordo.Runtime;

namespace Gordo.Silo;

public static class SiloHostingExtensions
{
    /// <summary>Makes this process a silo hosting model grains: the actor runtime plus the grains it activates.</summary>
    public static IHostApplicationBuilder AddGordoSilo(this IHostApplicationBuilder builder)
    {
        builder.AddGordoRuntime(hostsGrains: true);
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

    /// <summary>Makes this process a gateway: it calls model grains on the cluster's silos and hosts none.</summary>
    public static IHostApplicationBuilder AddGordoGateway(this IHostApplicationBuilder builder)
    {
        builder.AddGordoRuntime(hostsGrains: false);
        builder.AddModelStore();
        builder.Services.AddSingleton<GordoHealthChecks>();
        builder.Services.AddHostedService<Memory.BurstMemoryTrimmer>();
        return builder;
    }

    /// <summary>
    /// The silo port's endpoints, on their own branch of the pipeline (silo-to-silo calls skip the
    /// public pipeline: no access log, request id or revision hook of their own) and guarded so that
    /// the public port never serves them nor the silo port anything else.
    /// </summary>
    public static WebApplication UseSiloTransport(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SiloOptions>>().Value.Port;
        app.UseSiloPortGuard(port);
        app.MapWhen(static context => context.Request.Path.StartsWithSegments(TransportHeaders.PathPrefix.TrimEnd('/'), StringComparison.Ordinal), branch =>
        {
            branch.UseRouting();
            branch.UseEndpoints(endpoints => endpoints.MapSiloTransport());
        });
        return app;
    }
}
