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
        return builder;
    }

    /// <summary>Makes this process a gateway: it calls model grains on the cluster's silos and hosts none.</summary>
    public static IHostApplicationBuilder AddGordoGateway(this IHostApplicationBuilder builder)
    {
        builder.AddGordoRuntime(hostsGrains: false);
        builder.AddModelStore();
        return builder;
    }

    /// <summary>The silo port's endpoints, guarded so that the public port never serves them.</summary>
    public static WebApplication UseSiloTransport(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SiloOptions>>().Value.Port;
        app.UseSiloPortGuard(port);
        return app;
    }
}
