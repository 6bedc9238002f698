using Microsoft.AspNetCore.WebUtilities;
using Gordo.Api.Http;

namespace Gordo.Api.Pipeline;

public static class GordoPipelineExtensions
{
    /// <summary>
    /// The request pipeline, outermost first: the request id (and access log), request metrics, JSON errors, JSON bodies
    /// for bare 404/405, trailing-slash tolerance, routing, then gordo's revision hook (and its response
    /// headers). Routing comes before the revision hook as in Flask, where the URL is matched before
    /// <c>before_request</c>: a 410 is still counted under its route and model.
    /// </summary>
    public static WebApplication UseGordoPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<Metrics.RequestMetricsMiddleware>();
        app.UseMiddleware<ErrorMiddleware>();
        app.UseStatusCodePages(static async context =>
        {
            var http = context.HttpContext;
            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"Not found: {http.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"Method {http.Request.Method} is not allowed on {http.Request.Path}",
                var code => ReasonPhrases.GetReasonPhrase(code),
            };
            await GordoResponses.WriteErrorAsync(http, http.Response.StatusCode, message).ConfigureAwait(false);
        });
        app.UseMiddleware<TrailingSlashMiddleware>();
        app.UseRouting();
        app.UseMiddleware<RevisionMiddleware>();
        return app;
    }
}
