using System.Diagnostics;
using Gordo.Api.Gordo;

namespace Gordo.Api.Metrics;

/// <summary>
/// Records every request in gordo's request metrics, from the first middleware to the response:
/// <c>path</c> is gordo's route template (empty for unknown routes), <c>model</c> and <c>project</c> the
/// route's values. As in gordo, <c>/healthcheck</c> is not recorded; neither are the probes and the
/// scrape itself (<c>/health*</c>, <c>/metrics</c>).
/// </summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, GordoServerInstruments instruments)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            var path = context.GetEndpoint()?.Metadata.GetMetadata<GordoRoute>()?.Template
                ?? context.GetEndpoint()?.Metadata.GetMetadata<MetricsRoute>()?.Template
                ?? string.Empty;
            if (!IsExcluded(context.Request.Path, path))
            {
                instruments.Record(context.GetRouteValue("gordo_name") as string, context.GetRouteValue("gordo_project") as string,
                    context.Request.Method, path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }

    private static bool IsExcluded(PathString request, string template) =>
        template == "/healthcheck" || request.StartsWithSegments("/metrics") || request.StartsWithSegments("/health");
}
