namespace Gordo.Silo;

public static class MetricsEndpoints
{
    /// <summary>Registers the Prometheus collector and the process instruments.</summary>
    public static IHostApplicationBuilder AddPrometheusMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PrometheusCollector>();
        builder.Services.AddSingleton<ProcessInstruments>();
        return builder;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format (not behind the admin key: Prometheus scrapes it).</summary>
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Resolve the collector now, so it listens from startup and counts the first requests too.
        var collector = endpoints.ServiceProvider.GetRequiredService<PrometheusCollector>();
        endpoints.ServiceProvider.GetRequiredService<ProcessInstruments>();
        endpoints.MapGet("/metrics", (HttpContext context) =>
        {
            context.Response.ContentType = PrometheusText.ContentType;
            return context.Response.WriteAsync(collector.Scrape(), context.RequestAborted);
        });
        return endpoints;
    }
}
