using Gordo.Api.Http;
using Gordo.GrainInterfaces;

namespace Gordo.Api.Gordo;

/// <summary><c>GET /healthcheck</c> (empty, as gordo) and <c>GET /server-version</c>.</summary>
internal static class ServerEndpoints
{
    public static Task HealthcheckAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    public static Task ServerVersionAsync(HttpContext context) =>
        GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer => writer.WriteString("version", GordoVersion.Current));
}
