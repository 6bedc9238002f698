using Gordo.Api.Gordo;
using Gordo.Api.Hosting;
using Gordo.Api.Pipeline;
using Gordo.Grains.Hosting;
using Gordo.Silo;

namespace Gordo.Api;

/// <summary>Builds the Gordo server: the gordo HTTP API in front of a co-hosted silo.</summary>
public static class GordoServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddGordoEnvironment();
        // ASP.NET's own per-request information logs are noise next to Gordo's; warnings still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configure?.Invoke(builder);
        builder.AddGordoApi();
        builder.AddGordoSilo();

        // --urls / ASPNETCORE_URLS win; otherwise gordo's GORDO_SERVER_HOST / GORDO_SERVER_PORT (0.0.0.0:5555).
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            var api = builder.Configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>() ?? new ApiOptions();
            builder.WebHost.UseUrls($"http://{api.Host}:{api.Port}");
        }

        var app = builder.Build();
        app.UseGordoPipeline();
        app.MapGordoApi();
        return app;
    }
}
