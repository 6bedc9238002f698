using Gordo.Grains.Hosting;

namespace Gordo.Silo;

/// <summary>
/// A silo process (<c>gordo-silo</c>): hosts model grains for a cluster behind gateways. Orleans serves
/// its silo and gateway ports (<c>GORDO_SILO_PORT</c>, <c>GORDO_GATEWAY_PORT</c>); its public URL (default :5556) serves health and metrics.
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
        builder.ConfigureGordoEndpoints(urls, "http://0.0.0.0:5556");
        builder.AddGordoSilo();
        builder.AddPrometheusMetrics();
        var app = builder.Build();
        app.UseRouting();
        app.MapGordoHealth();
        app.MapPrometheusMetrics();
        return app;
    }
}
