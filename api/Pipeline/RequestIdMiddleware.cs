using System.Diagnostics;
using System.Security.Cryptography;
using Gordo.Silo;

namespace Gordo.Api.Pipeline;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-ID</c>, <c>X-Correlation-ID</c> or
/// <c>Request-ID</c> when it sent one (printable, at most 128 characters), else a new one. The id is
/// echoed in the response (<c>X-Request-ID</c>, and the client's own header), put on every log line of
/// the request, carried to the silo that runs the grain, and ends the request in one access log line.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILoggerFactory loggers)
{
    private static readonly string[] s_headers = ["X-Request-ID", "X-Correlation-ID", "Request-ID"];
    private readonly ILogger _access = loggers.CreateLogger("Gordo.Access");

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var (id, header) = Incoming(context.Request.Headers);
        context.TraceIdentifier = id;
        RequestContext.Set(RequestIdCallFilter.Key, id);
        context.Response.OnStarting(static state =>
        {
            var (http, requestId, clientHeader) = ((HttpContext, string, string?))state;
            http.Response.Headers["X-Request-ID"] = requestId;
            if (clientHeader is not null && clientHeader != "X-Request-ID")
            {
                http.Response.Headers[clientHeader] = requestId;
            }

            return Task.CompletedTask;
        }, (context, id, header));

        using (_access.BeginScope(new RequestIdScope(id)))
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                if (_access.IsEnabled(LogLevel.Information))
                {
                    LogAccess(_access, context.Request.Method, context.Request.Path + context.Request.QueryString, context.Response.StatusCode,
                        Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }
    }

    private static (string Id, string? Header) Incoming(IHeaderDictionary headers)
    {
        foreach (var name in s_headers)
        {
            var value = headers[name].ToString();
            if (value.Length is > 0 and <= 128 && value.All(c => c is > ' ' and < (char)127))
            {
                return (value, name);
            }
        }

        return (Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), null);
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "{Method} {Path} {StatusCode} {ElapsedMs:F1} ms")]
    private static partial void LogAccess(ILogger logger, string method, string path, int statusCode, double elapsedMs);
}
