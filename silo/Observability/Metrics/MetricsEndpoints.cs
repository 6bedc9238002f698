using Gordo.Grains.Hosting;
using System.Buffers;
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
        return builder;
    }

    /// <summary><c>GET /metrics</c> in the Prometheus text format (not behind the admin key: Prometheus scrapes it).</summary>
    public static IEndpointRouteBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Resolve the collectors now, so they count from startup.
        var registry = endpoints.ServiceProvider.GetRequiredService<CollectorRegistry>();
        endpoints.ServiceProvider.GetRequiredService<ProcessInstruments>();
        endpoints.ServiceProvider.GetRequiredService<FrameworkMeters>();
        var lastLength = 64 * 1024;
        endpoints.MapGet("/metrics", async (HttpContext context) =>
        {
            // Sized by the last scrape: with 2 000 models the exposition is about 7 MB, and growing to it
            // from 64 KiB copied it about seven times over.
            using var buffer = new MemoryStream(Volatile.Read(ref lastLength) + (16 * 1024));
            await registry.CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, context.RequestAborted).ConfigureAwait(false);
            var text = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            Volatile.Write(ref lastLength, text.Length);
            var output = new ArrayBufferWriter<byte>(text.Length + 4096);
            PythonBucketLabels.Rewrite(text.Span, output);
            context.Response.ContentType = ContentType;
            context.Response.ContentLength = output.WrittenCount;
            await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        });
        return endpoints;
    }
}
