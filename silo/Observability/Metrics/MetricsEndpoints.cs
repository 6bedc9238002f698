using Gordo.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Gordo.Silo;

public static class MetricsEndpoints
{
    /// <summary>The Prometheus text format's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>
    /// This host's prometheus-net registry (one per host, so that several servers in one process, as in
    /// the tests, never mix their series), the process series and the adapter for the framework's meters.
    /// </summary>
    public static IHostApplicationBuilder AddPrometheusMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMetrics();
        builder.Services.AddGordoMetricRegistry();
        builder.Services.TryAddSingleton<ProcessInstruments>();
        builder.Services.TryAddSingleton<FrameworkMeters>();
        builder.Services.TryAddSingleton<MemoryPoolMeters>();
        return builder;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format (not behind the admin key: Prometheus scrapes it).</summary>
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Resolve the collectors now, so they count from startup.
        var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
        endpoints.ServiceProvider.GetRequiredService<ProcessInstruments>();
        endpoints.ServiceProvider.GetRequiredService<FrameworkMeters>();
        endpoints.ServiceProvider.GetRequiredService<MemoryPoolMeters>();
        endpoints.MapGet("/metrics", async (HttpContext context) =>
        {
            // Streamed: with 2 000 models the exposition is about 7 MB (see PythonBucketLabelStream).
            context.Response.ContentType = ContentType;
            await using var body = new PythonBucketLabelStream(context.Response.BodyWriter);
            await registry.CollectAndExportAsTextAsync(body, ExpositionFormat.PrometheusText, context.RequestAborted).ConfigureAwait(false);
            await body.CompleteAsync(context.RequestAborted).ConfigureAwait(false);
        });
        return endpoints;
    }
}
