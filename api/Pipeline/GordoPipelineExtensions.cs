using Microsoft.AspNetCore.WebUtilities;
using Gordo.Api.Http;

namespace Gordo.Api.Pipeline;

public static class GordoPipelineExtensions
{
    /// <summary>
    /// The request pipeline, outermost first: the request id (and access log), request metrics, JSON errors, JSON bodies
    /// for bare 404/405, trailing-slash tolerance, gordo's revision hook (and its response headers),
    /// then routing.
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
        app.UseMiddleware<RevisionMiddleware>();
        app.UseRouting();
        return app;
    }
}
