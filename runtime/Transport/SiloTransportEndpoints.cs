using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gordo.Runtime;

/// <summary>
/// The receiving side of silo-to-silo calls, on the silo port only. A call is refused with 421 when
/// it was meant for another generation of this silo or when, under this silo's view, another silo
/// owns the grain (the caller then re-reads the view and retries), and with 503 while this silo is
/// not an active member.
/// </summary>
public static partial class SiloTransportEndpoints
{
    public static IEndpointRouteBuilder MapSiloTransport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(TransportHeaders.CallPath, HandleCallAsync);
        endpoints.MapPost(TransportHeaders.ControlPath + "{operation}", HandleControlAsync);
        return endpoints;
    }

    /// <summary>Keeps the silo port and the public port apart: internal paths only on the silo port, nothing else there.</summary>
    public static IApplicationBuilder UseSiloPortGuard(this IApplicationBuilder app, int siloPort)
    {
        if (siloPort <= 0)
        {
            return app;
        }

        return app.Use(static (context, next) =>
        {
            var port = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SiloOptions>>().Value.Port;
            var internalPath = context.Request.Path.StartsWithSegments(TransportHeaders.PathPrefix.TrimEnd('/'), StringComparison.Ordinal);
            if ((context.Connection.LocalPort == port) != internalPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (internalPath && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                // The front end that took the request already held it to its own limit; a frame it forwards
                // (encoded, possibly larger than the JSON it came from) must not meet Kestrel's 30 MB default here.
                limit.MaxRequestBodySize = null;
            }

            return next(context);
        });
    }

    private static async Task HandleCallAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var membership = services.GetRequiredService<IClusterMembership>();
        var local = membership.LocalSilo;
        if (local is null || !IsMeantForThisSilo(context, local))
        {
            await RefuseAsync(context, StatusCodes.Status421MisdirectedRequest, "the call was meant for another silo (or an earlier generation of this one)").ConfigureAwait(false);
            return;
        }

        if (!GrainId.TryParse(context.Request.Headers[TransportHeaders.Grain], out var grainId))
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "missing or malformed gordo-grain header").ConfigureAwait(false);
            return;
        }

        var method = services.GetRequiredService<RemoteGrainMethodRegistry>().Find(grainId.Type, context.Request.Headers[TransportHeaders.Method].ToString());
        if (method is null)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"no remote method '{context.Request.Headers[TransportHeaders.Method]}' for grain type '{grainId.Type}'").ConfigureAwait(false);
            return;
        }

        var view = membership.CurrentView;
        if (!view.IsActive(local))
        {
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "this silo is not an active member").ConfigureAwait(false);
            return;
        }

        var owner = services.GetRequiredService<IPlacementDirector>().SelectOwner(grainId, view);
        if (owner != local)
        {
            await RefuseAsync(context, StatusCodes.Status421MisdirectedRequest, $"{grainId} is owned by {owner} under view v{view.Version}").ConfigureAwait(false);
            return;
        }

        using var scope = BeginRequestScope(context);
        using var deadline = Deadline(context);
        using var body = await ReadBodyAsync(context, deadline.Token).ConfigureAwait(false);
        using var response = new PooledBufferWriter(16 * 1024);
        try
        {
            await method.InvokeAsync(services.GetRequiredService<Catalog>(), grainId, body.WrittenMemory, response, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(context, ex, grainId.ToString()).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, "ok", response.WrittenMemory).ConfigureAwait(false);
    }

    private static async Task HandleControlAsync(HttpContext context)
    {
        var membership = context.RequestServices.GetRequiredService<IClusterMembership>();
        if (membership.LocalSilo is not { } local || !IsMeantForThisSilo(context, local))
        {
            await RefuseAsync(context, StatusCodes.Status421MisdirectedRequest, "the operation was meant for another silo").ConfigureAwait(false);
            return;
        }

        var operation = context.GetRouteValue("operation") as string ?? string.Empty;
        using var scope = BeginRequestScope(context);
        using var deadline = Deadline(context);
        using var body = await ReadBodyAsync(context, deadline.Token).ConfigureAwait(false);
        byte[] answer;
        try
        {
            answer = await context.RequestServices.GetRequiredService<ClusterBroadcast>().HandleLocallyAsync(operation, body.WrittenMemory, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(context, ex, operation).ConfigureAwait(false);
            return;
        }

        await WriteAsync(context, "ok", answer).ConfigureAwait(false);
    }

    /// <summary>Carries the front end's request id into this silo's logs (and any call this one makes).</summary>
    private static IDisposable? BeginRequestScope(HttpContext context)
    {
        var requestId = context.Request.Headers[TransportHeaders.RequestId].FirstOrDefault();
        RequestContext.RequestId = requestId;
        return requestId is null
            ? null
            : context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gordo.Runtime.SiloTransport").BeginScope(new RequestIdScope(requestId));
    }

    private static bool IsMeantForThisSilo(HttpContext context, SiloAddress local) =>
        string.Equals(context.Request.Headers[TransportHeaders.Target], local.ToString(), StringComparison.Ordinal);

    private static CancellationTokenSource Deadline(HttpContext context)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (long.TryParse(context.Request.Headers[TransportHeaders.Timeout], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            deadline.CancelAfter(TimeSpan.FromMilliseconds(Math.Clamp(milliseconds, 1, int.MaxValue)));
        }

        return deadline;
    }

    private static async Task<PooledBufferWriter> ReadBodyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var body = new PooledBufferWriter((int)Math.Clamp(context.Request.ContentLength ?? 4096, 256, 64 * 1024 * 1024));
        try
        {
            while (true)
            {
                var read = await context.Request.Body.ReadAsync(body.GetMemory(64 * 1024), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return body;
                }

                body.Advance(read);
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, Exception exception, string subject)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gordo.Runtime.SiloTransport");
        Exception shown = exception;
        if (exception is not IGrainErrorStatus)
        {
            // Unexpected failures are logged here, in full, and cross the wire without internals.
            LogCallFailed(logger, exception, subject);
            shown = new InvalidOperationException($"The call failed on silo {context.RequestServices.GetRequiredService<IClusterMembership>().LocalSilo}; its log has the details.");
        }

        using var envelope = new PooledBufferWriter(256);
        ErrorEnvelope.Write(new WireWriter(envelope), shown);
        await WriteAsync(context, "error", envelope.WrittenMemory).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpContext context, string result, ReadOnlyMemory<byte> body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = TransportHeaders.ContentType;
        context.Response.Headers[TransportHeaders.Result] = result;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.Headers[TransportHeaders.Result] = TransportHeaders.Refused;
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(reason, context.RequestAborted);
    }

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "Remote call {Subject} failed")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string subject);
}
