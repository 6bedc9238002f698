using Gordo.Silo.Cluster;
using Microsoft.Extensions.Options;
using Orleans.Networking.Shared;
using Orleans.Runtime.Messaging;

namespace Gordo.Api.Cluster;

/// <summary>
/// Calls a model grain through Orleans within the request's deadline (<see cref="GordoSiloOptions.CallTimeout"/>).
/// Orleans does not retry a call whose owner just died: this does, for the failures that mean "the
/// owner is gone" (silo unavailable, connection lost, message rejected), until Orleans has declared the
/// silo dead and the grain has activated elsewhere. A model's own errors are never retried; predictions
/// have no side effects, so a retried call cannot act twice. Past the deadline the answer is a 503.
/// </summary>
public sealed partial class ModelCalls(IGrainFactory grains, SiloLossSignal losses, IOptions<GordoSiloOptions> options, IOptions<GordoClusterOptions> cluster, ILogger<ModelCalls> logger)
{
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromMilliseconds(500);

    public async Task<T> InvokeAsync<T>(ModelKey key, Func<IModelGrain, CancellationToken, ValueTask<T>> call, CancellationToken requestAborted)
    {
        var timeout = options.Value.CallTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(timeout);
        var grain = grains.GetGrain<IModelGrain>(key.ToString());
        var delay = s_firstRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var lost = losses.Token;
            using var callToken = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, lost);
            try
            {
                return await call(grain, callToken.Token).AsTask().WaitAsync(callToken.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested && !deadline.IsCancellationRequested)
            {
                // A silo left while this call waited: its answer may never come. Send it again.
                if (attempt == 1)
                {
                    LogResent(logger, key.ToString());
                }
            }
            catch (Exception ex) when (IsOwnerGone(ex) && !deadline.IsCancellationRequested)
            {
                if (attempt == 1)
                {
                    LogRetrying(logger, key.ToString(), ex.GetType().Name, ex.Message);
                }

                try
                {
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
                {
                    throw Unavailable(key, timeout, ex);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
            }
            catch (Exception ex) when (deadline.IsCancellationRequested && !requestAborted.IsCancellationRequested
                && (ex is OperationCanceledException or TimeoutException || IsOwnerGone(ex)))
            {
                throw Unavailable(key, timeout, ex);
            }
        }
    }

    /// <summary>
    /// A request whose frames cannot cross between silos (Orleans closes a connection whose message is
    /// over its limit, failing every call on it) is refused before it is sent. A lone silo never sends one.
    /// </summary>
    public void CheckMessageSize(long requestBytes, long responseBytes)
    {
        var limit = cluster.Value.MaxMessageBytes;
        if (cluster.Value.IsClustered && Math.Max(requestBytes, responseBytes) > limit)
        {
            throw new GordoException(StatusCodes.Status413PayloadTooLarge,
                $"The frames of this request ({requestBytes} bytes in, about {responseBytes} out) are over the cluster's message limit of " +
                $"{limit} bytes: send fewer rows per request.");
        }
    }

    internal static bool IsOwnerGone(Exception ex) => ex is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
        or SocketConnectionException or GatewayTooBusyException or ClientNotAvailableException;

    private static GordoException Unavailable(ModelKey key, TimeSpan timeout, Exception cause) => new ClusterUnavailableException(
        $"Model '{key.Target}' of revision '{key.Revision}' did not answer within {timeout.TotalSeconds:0.#} s ({cause.GetType().Name}: {cause.Message}).");

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "A silo left while model/{Key} was called; sending the call again")]
    private static partial void LogResent(ILogger logger, string key);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "The silo of model/{Key} is gone ({Error}: {Reason}); retrying until the grain answers from its new owner")]
    private static partial void LogRetrying(ILogger logger, string key, string error, string reason);
}
