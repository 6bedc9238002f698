using Gordo.Api.Http;

namespace Gordo.Api.V2;

/// <summary>
/// The protocol's error body, <c>{"error": "..."}</c>, for every failure of a V2 route: 400 for what the
/// request got wrong (gordo's 422 too), 404 for an unknown model or version; the size (413) and
/// availability (503) answers keep their status, and a model broken on disk stays a 500.
/// </summary>
internal sealed class V2ErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (GordoException ex) when (!http.Response.HasStarted)
        {
            if (ex is FrameAdmissionException or Cluster.ClusterUnavailableException)
            {
                http.Response.Headers.RetryAfter = "5";
            }

            await V2Responses.WriteErrorAsync(http, StatusOf(ex.StatusCode), ex.Message).ConfigureAwait(false);
            return Results.Empty;
        }
        catch (FrameFormatException ex) when (!http.Response.HasStarted)
        {
            await V2Responses.WriteErrorAsync(http, StatusCodes.Status400BadRequest, ex.Message).ConfigureAwait(false);
            return Results.Empty;
        }
        catch (BadHttpRequestException ex) when (!http.Response.HasStarted)
        {
            // A body Kestrel refused (over its limit, broken chunking): Kestrel's own 4xx.
            await V2Responses.WriteErrorAsync(http, ex.StatusCode, ex.Message).ConfigureAwait(false);
            return Results.Empty;
        }
    }

    public static int StatusOf(int gordoStatus) => gordoStatus switch
    {
        404 or 413 or 503 => gordoStatus,
        >= 500 => gordoStatus,
        _ => StatusCodes.Status400BadRequest,
    };
}
