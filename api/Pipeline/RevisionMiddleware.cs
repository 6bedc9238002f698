using System.Diagnostics;
using System.Globalization;
using System.Text;
using Gordo.Api.Http;
using Gordo.Grains.Store;
using Microsoft.Extensions.Primitives;

namespace Gordo.Api.Pipeline;

/// <summary>
/// gordo's request hooks, for every request: the revision to serve (query argument <c>revision</c>,
/// else header <c>revision</c>, else the current one; 410 when it is not all digits or its directory
/// does not exist), and on every response the <c>revision</c> header and
/// <c>Server-Timing: request_walltime_s;dur=&lt;seconds&gt;</c>. As in gordo, the requested revision is
/// set before it is checked, so both 410s echo it in the body and the header.
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
            headers["revision"] = HeaderSafe(GordoResponses.RevisionOf(ctx));
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
            context.Features.Set(new RequestRevision(requested));
            await GordoResponses.WriteErrorAsync(context, StatusCodes.Status410Gone, "Revision should only contains numbers.").ConfigureAwait(false);
            return;
        }
        else if (!store.RevisionExists(requested))
        {
            context.Features.Set(new RequestRevision(requested));
            await GordoResponses.WriteErrorAsync(context, StatusCodes.Status410Gone, $"Revision '{requested}' not found.").ConfigureAwait(false);
            return;
        }
        else
        {
            context.Features.Set(requested == _current.Revision ? _current : new RequestRevision(requested));
        }

        await next(context).ConfigureAwait(false);
    }

    /// <summary>
    /// A client-supplied revision as a response header value: visible ASCII and spaces pass as they are;
    /// anything else (control characters, non-ASCII) is percent-encoded as UTF-8, so no value can make
    /// Kestrel refuse the header (a 500) or split the response. Real revisions are digits and never change.
    /// </summary>
    internal static string HeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~' or '%')
            {
                return Escape(value);
            }
        }

        return value;

        static string Escape(string value)
        {
            var text = new StringBuilder(value.Length * 3);
            Span<byte> utf8 = stackalloc byte[4];
            for (var i = 0; i < value.Length; i++)
            {
                var c = value[i];
                if (c is >= ' ' and <= '~' and not '%')
                {
                    text.Append(c);
                    continue;
                }

                var rune = Rune.TryGetRuneAt(value, i, out var r) ? r : Rune.ReplacementChar;
                if (rune.Utf16SequenceLength == 2)
                {
                    i++;
                }

                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                }
            }

            return text.ToString();
        }
    }

    private static string? FirstNonEmpty(StringValues values) => values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
