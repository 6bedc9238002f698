using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>
/// Routes a grain call to the grain's owner under the current membership view: this silo's
/// <see cref="Catalog"/>, or another silo over the transport. When the owner cannot take the call
/// (it died, is leaving, or the views disagree), the router asks for a fresh view, waits for it to
/// change, and calls the new owner, until the call's deadline: a silo that dies between requests
/// costs the caller time, not an error.
/// </summary>
public sealed partial class GrainCallRouter(
    IClusterMembership membership,
    IPlacementDirector placement,
    IOptions<SiloOptions> options,
    SiloTransportClient transport,
    RuntimeInstruments instruments,
    ILogger<GrainCallRouter> logger,
    Catalog? catalog = null) : IGrainCallInvoker
{
    /// <summary>How long one retry waits for a new view before trying the (possibly same) owner again.</summary>
    private static readonly TimeSpan s_retryWait = TimeSpan.FromMilliseconds(500);

    public ValueTask<TResponse> InvokeAsync<TGrain, TRequest, TResponse>(
        GrainId grainId,
        GrainMethod<TGrain, TRequest, TResponse> method,
        TRequest request,
        CancellationToken cancellationToken)
        where TGrain : IGrain
    {
        var owner = placement.SelectOwner(grainId, membership.CurrentView);
        if (owner is not null && catalog is not null && owner == membership.LocalSilo)
        {
            return catalog.InvokeAsync(grainId, method, request, cancellationToken);
        }

        return InvokeWithRetriesAsync(grainId, method, request, cancellationToken);
    }

    private async ValueTask<TResponse> InvokeWithRetriesAsync<TGrain, TRequest, TResponse>(
        GrainId grainId,
        GrainMethod<TGrain, TRequest, TResponse> method,
        TRequest request,
        CancellationToken cancellationToken)
        where TGrain : IGrain
    {
        var deadline = DateTime.UtcNow + options.Value.CallTimeout;
        PooledBufferWriter? encoded = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var view = membership.CurrentView;
                var remaining = deadline - DateTime.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new NoSiloAvailableException($"No silo could take the call to {grainId} within {options.Value.CallTimeout.TotalSeconds:0.#} s.");
                }

                var owner = placement.SelectOwner(grainId, view);
                if (owner is null)
                {
                    membership.RequestRefresh();
                    await membership.WaitForViewChangeAsync(view.Version, Min(remaining, s_retryWait), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (catalog is not null && owner == membership.LocalSilo)
                {
                    return await catalog.InvokeAsync(grainId, method, request, cancellationToken).ConfigureAwait(false);
                }

                if (encoded is null)
                {
                    encoded = new PooledBufferWriter(4096);
                    method.RequestCodec.Write(new WireWriter(encoded), request);
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    using var response = await transport.CallAsync(owner, grainId, method.Name, encoded.WrittenMemory, remaining,
                        RequestContext.RequestId, cancellationToken).ConfigureAwait(false);
                    instruments.RemoteCall(method.Name, "ok", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                    return Decode(method, response);
                }
                catch (RemoteGrainException)
                {
                    instruments.RemoteCall(method.Name, "error", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                    throw;
                }
                catch (TimeoutException ex)
                {
                    // The deadline is the whole call's, retries included: say so, whatever was left for this attempt.
                    instruments.RemoteCall(method.Name, "timeout", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                    throw new GrainCallTimeoutException(
                        $"The call to {grainId} did not complete within {options.Value.CallTimeout.TotalSeconds:0.#} s (silo {owner} did not answer in time).", ex);
                }
                catch (SiloUnavailableException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    instruments.RemoteCall(method.Name, "unavailable", System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                    LogRetrying(logger, grainId, owner.ToString(), attempt, ex.Message);
                    membership.RequestRefresh();
                    await membership.WaitForViewChangeAsync(view.Version, Min(deadline - DateTime.UtcNow, s_retryWait), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            encoded?.Dispose();
        }
    }

    private static TResponse Decode<TGrain, TRequest, TResponse>(GrainMethod<TGrain, TRequest, TResponse> method, PooledBufferWriter response)
        where TGrain : IGrain
    {
        var reader = new WireReader(response.WrittenMemory.Span);
        var value = method.ResponseCodec.Read(ref reader);
        if (reader.Remaining != 0)
        {
            (value as IDisposable)?.Dispose();
            throw new WireFormatException($"{reader.Remaining} bytes follow the {method} response.");
        }

        return value;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? (a > TimeSpan.Zero ? a : TimeSpan.Zero) : b;

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Call to {GrainId} on {Silo} failed (attempt {Attempt}: {Reason}); retrying on the owner of the next view")]
    private static partial void LogRetrying(ILogger logger, GrainId grainId, string silo, int attempt, string reason);
}
