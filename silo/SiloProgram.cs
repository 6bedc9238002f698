using Gordo.Grains.Hosting;
using Gordo.Runtime;

namespace Gordo.Silo;

/// <summary>
/// A silo process (<c>gordo-silo</c>): hosts model grains for a cluster behind gateways. It serves the
/// silo-to-silo port (<c>GORDO_SILO_PORT</c>) and, on its public URL (default :5556), health.
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        var app = Build(args);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var (arguments, urls) = PublicUrls.Take(args);
        var builder = WebApplication.CreateSlimBuilder(arguments);
        builder.Configuration.AddGordoEnvironment();
        builder.AddGordoLogging();
        configure?.Invoke(builder);
        builder.ConfigureGordoEndpoints(urls, "http://0.0.0.0:5556", siloPort: true);
        builder.AddGordoSilo();
        builder.AddPrometheusMetrics();
        var app = builder.Build();
        app.UseSiloTransport();
        app.UseRouting();
        app.MapGordoHealth();
        app.MapPrometheusMetrics();
        return app;
    }
}
