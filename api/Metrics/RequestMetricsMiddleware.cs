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
            var endpoint = context.GetEndpoint();
            var grpc = endpoint?.Metadata.GetMetadata<Grpc.AspNetCore.Server.GrpcMethodMetadata>() is not null;
            var path = endpoint?.Metadata.GetMetadata<GordoRoute>()?.Template
                ?? endpoint?.Metadata.GetMetadata<MetricsRoute>()?.Template
                ?? (grpc ? context.Request.Path.Value : null)
                ?? string.Empty;
            if (!IsExcluded(context.Request.Path, path))
            {
                // A gRPC call is HTTP 200 whatever its outcome: the service leaves its model and status in Items.
                var model = context.GetRouteValue("gordo_name") as string ?? context.GetRouteValue("model") as string
                    ?? context.Items[V2.Grpc.GrpcCalls.ModelItem] as string;
                var status = context.Items[V2.Grpc.GrpcCalls.StatusItem] as int? ?? context.Response.StatusCode;
                instruments.Record(model, context.GetRouteValue("gordo_project") as string,
                    context.Request.Method, path, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }
    }

    private static bool IsExcluded(PathString request, string template) =>
        template == "/healthcheck" || request.StartsWithSegments("/metrics") || request.StartsWithSegments("/health");
}
