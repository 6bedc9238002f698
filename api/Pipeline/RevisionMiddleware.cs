using System.Diagnostics;
using System.Globalization;
using Gordo.Api.Http;
using Gordo.Grains.Store;
using Microsoft.Extensions.Primitives;

namespace Gordo.Api.Pipeline;

/// <summary>
/// gordo's request hooks, for every request: the revision to serve (query argument <c>revision</c>,
/// else header <c>revision</c>, else the current one; 410 when it is not all digits or its directory
/// does not exist), and on every response the <c>revision</c> header and
/// <c>Server-Timing: request_walltime_s;dur=&lt;seconds&gt;</c>.
/// </summary>
public sealed class RevisionMiddleware(RequestDelegate next, ModelStore store)
{
    private readonly RequestRevision _current = new(store.CurrentRevision);

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(static state =>
        {
            var (ctx, start) = ((HttpContext, long))state;
            var headers = ctx.Response.Headers;
            headers["revision"] = GordoResponses.RevisionOf(ctx);
            headers["Server-Timing"] = "request_walltime_s;dur=" + Stopwatch.GetElapsedTime(start).TotalSeconds.ToString("0.#########", CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }, (context, started));

        // request.args.get("revision") or request.headers.get("revision"): an empty query value falls through.
        var requested = FirstNonEmpty(context.Request.Query["revision"]) ?? FirstNonEmpty(context.Request.Headers["revision"]);
        if (requested is null)
        {
            context.Features.Set(_current);
        }
        else if (!ModelStore.IsValidRevisionName(requested))
        {
            context.Features.Set(_current);
            await GordoResponses.WriteErrorAsync(context, StatusCodes.Status410Gone, "Revision should only contains numbers.").ConfigureAwait(false);
            return;
        }
        else if (!store.RevisionExists(requested))
        {
            context.Features.Set(_current);
            await GordoResponses.WriteErrorAsync(context, StatusCodes.Status410Gone, $"Revision '{requested}' not found.").ConfigureAwait(false);
            return;
        }
        else
        {
            context.Features.Set(requested == _current.Revision ? _current : new RequestRevision(requested));
        }

        await next(context).ConfigureAwait(false);
    }

    private static string? FirstNonEmpty(StringValues values) => values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
