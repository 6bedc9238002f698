using Gordo.Api.Admin;
using Gordo.Api.Gordo;
using Gordo.Api.Hosting;
using Gordo.Api.Pipeline;
using Gordo.Api.V2;
using Gordo.Api.V2.Grpc;
using Gordo.Grains.Hosting;
using Gordo.Silo;

namespace Gordo.Api;

/// <summary>
/// Builds the Gordo server: the gordo HTTP API, either in front of a co-hosted silo (the default; with
/// <c>GORDO_REDIS</c> the silo joins a cluster) or as a gateway to a cluster of silos.
/// </summary>
public static class GordoServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var (arguments, urls) = PublicUrls.Take(args);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = arguments });
        builder.Configuration.AddGordoEnvironment();
        builder.AddGordoLogging();
        configure?.Invoke(builder);

        var api = builder.Configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
        builder.ConfigureGordoEndpoints(urls, $"http://{api.Host}:{api.Port}");
        builder.ConfigureGrpcEndpoint(api);
        builder.AddGordoApi();
        if (api.IsGateway)
        {
            builder.AddGordoGateway();
        }
        else
        {
            builder.AddGordoSilo();
        }

        var app = builder.Build();

        app.UseGordoPipeline();
        app.UseGrpcPortIsolation(api);
        app.MapGordoApi();
        app.MapV2Api();
        app.MapV2Grpc(api);
        app.MapAdminDashboard();
        app.MapAdminApi();
        app.MapPrometheusMetrics();
        app.MapGordoHealth();
        return app;
    }
}
