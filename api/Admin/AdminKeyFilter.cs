using System.Security.Cryptography;
using System.Text;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Admin;

/// <summary>
/// Guards every <c>/admin/*</c> route: without a configured <c>GORDO_ADMIN_SECRET</c> they do not exist
/// (404); a request without <c>X-API-Key</c> is 401, with a wrong one 403. Keys are compared in
/// constant time (over their SHA-256, so their lengths do not leak either). Failed attempts are
/// throttled per client address (<see cref="AdminAuthThrottle"/>: 429 once they are used up) and logged
/// without the key, as a summary rather than a line each.
/// </summary>
public sealed class AdminKeyFilter(IOptions<ApiOptions> options, AdminAuthThrottle throttle) : IEndpointFilter
{
    public const string HeaderName = "X-API-Key";

    private readonly byte[]? _secret = options.Value.AdminSecret is { Length: > 0 } secret ? SHA256.HashData(Encoding.UTF8.GetBytes(secret)) : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (_secret is null)
        {
            await GordoResponses.WriteErrorAsync(http, StatusCodes.Status404NotFound, $"Not found: {http.Request.Path}").ConfigureAwait(false);
            return null;
        }

        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (throttle.Blocked(remote) is { } wait)
        {
            await RefuseAsync(http, remote, StatusCodes.Status429TooManyRequests, "too many failed attempts",
                $"Too many failed admin authentications from this address; try again in {AdminAuthThrottle.Seconds(wait)} s.", wait).ConfigureAwait(false);
            return null;
        }

        var presented = http.Request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
        {
            await RefuseAsync(http, remote, StatusCodes.Status401Unauthorized, "no key", $"The admin routes need the {HeaderName} header.", throttle.Fail(remote)).ConfigureAwait(false);
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _secret))
        {
            await RefuseAsync(http, remote, StatusCodes.Status403Forbidden, "wrong key", $"The {HeaderName} key is not valid.", throttle.Fail(remote)).ConfigureAwait(false);
            return null;
        }

        return await next(context).ConfigureAwait(false);
    }

    /// <summary>Logs (throttled) and answers a refusal; <paramref name="retryAfter"/> is set when the
    /// address has no attempts left, and the answer says so.</summary>
    private Task RefuseAsync(HttpContext http, string remote, int status, string reason, string message, TimeSpan? retryAfter)
    {
        throttle.LogRefusal(http.Request.Method, http.Request.Path, remote, reason);
        if (retryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = AdminAuthThrottle.Seconds(wait);
            if (status != StatusCodes.Status429TooManyRequests)
            {
                message += $" Too many failed attempts: this address may try again in {AdminAuthThrottle.Seconds(wait)} s.";
                status = StatusCodes.Status429TooManyRequests;
            }
        }

        return GordoResponses.WriteErrorAsync(http, status, message);
    }
}
