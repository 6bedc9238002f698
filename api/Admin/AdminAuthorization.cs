using System.Security.Cryptography;
using System.Text;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Admin;

/// <summary>
/// Who may use the admin surface: without a configured <c>GORDO_ADMIN_SECRET</c> it does not exist (404);
/// a request must present the key in <c>X-API-Key</c> (401 without, 403 wrong), or, for the dashboard a
/// browser opens, the session cookie the key form set. Keys are compared in constant time (over their
/// SHA-256, so their lengths do not leak either). Failed attempts are throttled per client address
/// (<see cref="AdminAuthThrottle"/>: 429 once they are used up) and logged without the key.
/// </summary>
public sealed class AdminAuthorization(IOptions<ApiOptions> options, AdminAuthThrottle throttle)
{
    public const string HeaderName = "X-API-Key";
    public const string CookieName = "gordo-admin";

    private readonly byte[]? _secret = options.Value.AdminSecret is { Length: > 0 } secret ? SHA256.HashData(Encoding.UTF8.GetBytes(secret)) : null;

    public bool IsConfigured => _secret is not null;

    /// <summary>The cookie's value: derived from the key (the key itself never leaves in a cookie).</summary>
    public string SessionValue => Convert.ToHexStringLower(HMACSHA256.HashData(_secret ?? [], "gordo admin session v1"u8));

    public bool IsKey(string presented) =>
        _secret is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _secret);

    /// <summary>Answers the refusal and returns false, or returns true when the request may go on.</summary>
    public async Task<bool> AuthorizeAsync(HttpContext http, bool allowCookie)
    {
        if (_secret is null)
        {
            await GordoResponses.WriteErrorAsync(http, StatusCodes.Status404NotFound, $"Not found: {http.Request.Path}").ConfigureAwait(false);
            return false;
        }

        var remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (throttle.Blocked(remote) is { } wait)
        {
            await RefuseAsync(http, remote, StatusCodes.Status429TooManyRequests, "too many failed attempts",
                $"Too many failed admin authentications from this address; try again in {AdminAuthThrottle.Seconds(wait)} s.", wait).ConfigureAwait(false);
            return false;
        }

        var presented = http.Request.Headers[HeaderName].ToString();
        if (presented.Length == 0 && allowCookie && http.Request.Cookies[CookieName] is { Length: > 0 } cookie)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(cookie), Encoding.ASCII.GetBytes(SessionValue)))
            {
                return true;
            }

            await RefuseAsync(http, remote, StatusCodes.Status403Forbidden, "wrong session cookie", "The admin session is not valid: sign in again at /admin/login.",
                throttle.Fail(remote)).ConfigureAwait(false);
            return false;
        }

        if (presented.Length == 0)
        {
            var hint = allowCookie ? " (a browser signs in at /admin/login)" : string.Empty;
            await RefuseAsync(http, remote, StatusCodes.Status401Unauthorized, "no key", $"The admin routes need the {HeaderName} header{hint}.", throttle.Fail(remote))
                .ConfigureAwait(false);
            return false;
        }

        if (!IsKey(presented))
        {
            await RefuseAsync(http, remote, StatusCodes.Status403Forbidden, "wrong key", $"The {HeaderName} key is not valid.", throttle.Fail(remote)).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Logs (throttled) and answers a refusal; <paramref name="retryAfter"/> is set when the
    /// address has no attempts left, and the answer says so.</summary>
    internal Task RefuseAsync(HttpContext http, string remote, int status, string reason, string message, TimeSpan? retryAfter)
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
