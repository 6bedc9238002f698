using System.Security.Cryptography;
using System.Text;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Admin;

/// <summary>
/// Guards every <c>/admin/*</c> route: without a configured <c>GORDO_ADMIN_SECRET</c> they do not exist
/// (404); a request without <c>X-API-Key</c> is 401, with a wrong one 403. Keys are compared in
/// constant time (over their SHA-256, so their lengths do not leak either), and failed attempts are
/// logged without the key.
/// </summary>
public sealed partial class AdminKeyFilter(IOptions<ApiOptions> options, ILogger<AdminKeyFilter> logger) : IEndpointFilter
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

        var presented = http.Request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
        {
            LogRefused(logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "?", "no key");
            await GordoResponses.WriteErrorAsync(http, StatusCodes.Status401Unauthorized, $"The admin routes need the {HeaderName} header.").ConfigureAwait(false);
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _secret))
        {
            LogRefused(logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "?", "wrong key");
            await GordoResponses.WriteErrorAsync(http, StatusCodes.Status403Forbidden, $"The {HeaderName} key is not valid.").ConfigureAwait(false);
            return null;
        }

        return await next(context).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remote, string reason);
}
