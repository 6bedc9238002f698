using Gordo.Api.Http;

namespace Gordo.Api.Pipeline;

/// <summary>
/// Turns every failure into a JSON error with gordo's status code: errors with a status
/// (<see cref="GordoException"/>: Gordo's own, raised here or on the silo that ran the grain) carry their own; a bad HTTP request (e.g. a body over Kestrel's limit) keeps Kestrel's 4xx; no live
/// silo is 503; anything unexpected is logged and answered 500 without internals.
/// </summary>
public sealed partial class ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (GordoException status) when (!context.Response.HasStarted)
        {
            // Gordo's own errors, raised here or on the silo that ran the grain.
            if (status.StatusCode >= 500)
            {
                LogServerError(logger, context.Request.Method, context.Request.Path, status.Message);
            }

            if (status is Http.FrameAdmissionException or Cluster.ClusterUnavailableException)
            {
                context.Response.Headers.RetryAfter = "5";
            }

            await GordoResponses.WriteErrorAsync(context, status.StatusCode, status.Message, status.ErrorKey).ConfigureAwait(false);
        }
        catch (FrameFormatException ex) when (!context.Response.HasStarted)
        {
            // A frame codec's error that no route turned into its own answer: still the client's 400.
            await GordoResponses.WriteErrorAsync(context, ex.StatusCode, ex.Message, ex.ErrorKey).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await GordoResponses.WriteErrorAsync(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody is left to answer.
        }
        catch (Exception ex) when (Cluster.ModelCalls.IsOwnerGone(ex) && !context.Response.HasStarted)
        {
            // An admin or metadata call the cluster could not deliver (no live silo, lost connection).
            context.Response.Headers.RetryAfter = "5";
            LogServerError(logger, context.Request.Method, context.Request.Path, ex.Message);
            await GordoResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, ex, context.Request.Method, context.Request.Path);
            await GordoResponses.WriteErrorAsync(context, StatusCodes.Status500InternalServerError,
                "Internal server error; the server log has the details.").ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{Method} {Path} failed: {Reason}")]
    private static partial void LogServerError(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "{Method} {Path} threw")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
