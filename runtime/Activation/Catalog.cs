using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>
/// The activations hosted by this silo, one per grain identity. A call to a grain that has no
/// activation creates one; calls that arrive while it activates wait for that single activation;
/// a call that finds an activation deactivating waits until it is gone and then creates a fresh one.
/// </summary>
public sealed partial class Catalog : IDisposable
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly ConcurrentDictionary<Type, ObjectFactory> _factories = new();
    private readonly GrainTypeRegistry _registry;
    private readonly IServiceProvider _services;
    private readonly ILogger<Catalog> _logger;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly RuntimeInstruments _instruments;
    private int _disposed;

    private readonly SemaphoreSlim _budgetLock = new(1, 1);
    private readonly long _memoryBudget;
    private long _reservedBytes;

    public Catalog(GrainTypeRegistry registry, IServiceProvider services, RuntimeInstruments instruments, IOptions<SiloOptions> options, ILogger<Catalog> logger)
    {
        _memoryBudget = options.Value.MemoryBudgetBytes;
        _registry = registry;
        _services = services;
        _instruments = instruments;
        _logger = logger;
        instruments.ObserveActivations(() => _activations.Count);
    }

    /// <summary>Number of activations on this silo, in any state.</summary>
    public int Count => _activations.Count;

    internal CancellationToken ShutdownToken => _shutdown.Token;

    /// <summary>Raised after an activation has been deactivated.</summary>
    public event Action<GrainId, DeactivationReason>? Deactivated;

    /// <summary>Snapshots every activation.</summary>
    public IReadOnlyList<ActivationInfo> GetActivations()
    {
        var now = Environment.TickCount64;
        var result = new List<ActivationInfo>(_activations.Count);
        foreach (var activation in _activations.Values)
        {
            result.Add(new ActivationInfo(activation.GrainId, activation.State, activation.ActivatedAt,
                TimeSpan.FromMilliseconds(Math.Max(0, now - activation.LastUsedTicks)), activation.InFlightCalls,
                activation.Calls, activation.MemoryBytes,
                activation.State == ActivationState.Valid && activation.Instance is IGrainDetails details ? details.Details : null));
        }

        return result;
    }

    /// <summary>The activation's grain instance, when the grain is active on this silo.</summary>
    public Grain? FindActiveGrain(GrainId grainId) =>
        _activations.TryGetValue(grainId, out var activation) && activation.State == ActivationState.Valid ? activation.Instance : null;

    /// <summary>Invokes a grain method on this silo's activation of the grain, activating it if needed.</summary>
    public async ValueTask<TResponse> InvokeAsync<TGrain, TRequest, TResponse>(
        GrainId grainId,
        GrainMethod<TGrain, TRequest, TResponse> method,
        TRequest request,
        CancellationToken cancellationToken)
        where TGrain : IGrain
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var activation = GetOrCreateActivation(grainId);
            if (!activation.TryEnterCall())
            {
                // Deactivating: wait until it is gone, then activate afresh.
                await activation.Deactivated.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await activation.EnsureActivatedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                var grain = (TGrain)(object)activation.Instance!;
                if (activation.Turn is null)
                {
                    return await method.Invoke(grain, request, cancellationToken).ConfigureAwait(false);
                }

                await activation.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await method.Invoke(grain, request, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    activation.Turn.Release();
                }
            }
            finally
            {
                activation.ExitCall();
            }
        }
    }

    /// <summary>Deactivates the grain's activation if there is one; in-flight calls finish first.</summary>
    public Task<bool> DeactivateAsync(GrainId grainId, DeactivationReason reason) =>
        _activations.TryGetValue(grainId, out var activation) ? DeactivateAsync(activation, reason) : Task.FromResult(false);

    /// <summary>Deactivates every activation matching <paramref name="predicate"/>; returns how many it deactivated.</summary>
    public async Task<int> DeactivateAsync(Func<GrainId, bool> predicate, DeactivationReason reason)
    {
        var tasks = new List<Task<bool>>();
        foreach (var activation in _activations.Values)
        {
            if (predicate(activation.GrainId))
            {
                tasks.Add(DeactivateAsync(activation, reason));
            }
        }

        var results = await Task.WhenAll(tasks).ConfigureAwait(false);
        return results.Count(r => r);
    }

    /// <summary>Deactivates activations unused for at least <paramref name="age"/> with no call in flight.</summary>
    public Task<int> CollectIdleAsync(TimeSpan age)
    {
        var now = Environment.TickCount64;
        var ageMs = (long)age.TotalMilliseconds;
        var tasks = new List<Task<bool>>();
        foreach (var activation in _activations.Values)
        {
            if (activation.State == ActivationState.Valid && activation.InFlightCalls == 0 && now - activation.LastUsedTicks >= ageMs)
            {
                tasks.Add(DeactivateAsync(activation, DeactivationReason.IdleTimeout));
            }
        }

        return tasks.Count == 0 ? Task.FromResult(0) : CountAsync(tasks);

        static async Task<int> CountAsync(List<Task<bool>> tasks) => (await Task.WhenAll(tasks).ConfigureAwait(false)).Count(r => r);
    }

    /// <summary>Bytes held by this silo's activations (what they report through <see cref="IGrainMemoryFootprint"/>).</summary>
    public long MemoryBytes => _activations.Values.Sum(a => a.MemoryBytes);

    /// <summary>
    /// Makes room for <paramref name="bytes"/> under the silo's memory budget before an activation
    /// loads them: least recently used activations with no call in flight are deactivated until the
    /// activations' bytes, plus other loads in progress, plus these fit. Loads are admitted one at a
    /// time so two cannot both take the last room. The reservation ends when disposed (by then the
    /// activation reports the bytes itself). When nothing more can be evicted the load goes ahead.
    /// </summary>
    internal async Task<IDisposable> ReserveMemoryAsync(ActivationData requester, long bytes)
    {
        if (_memoryBudget <= 0 || bytes <= 0)
        {
            return MemoryReservation.None;
        }

        await _budgetLock.WaitAsync(ShutdownToken).ConfigureAwait(false);
        try
        {
            var excess = MemoryBytes + Volatile.Read(ref _reservedBytes) + bytes - _memoryBudget;
            if (excess > 0)
            {
                var candidates = _activations.Values
                    .Where(a => !ReferenceEquals(a, requester) && a.MemoryBytes > 0 && a.InFlightCalls == 0)
                    .OrderBy(a => a.LastUsedTicks)
                    .ToList();
                foreach (var candidate in candidates)
                {
                    if (excess <= 0)
                    {
                        break;
                    }

                    var freed = candidate.MemoryBytes;
                    if (await DeactivateAsync(candidate, DeactivationReason.MemoryPressure).ConfigureAwait(false))
                    {
                        excess -= freed;
                    }
                }

                if (excess > 0)
                {
                    LogOverBudget(_logger, requester.GrainId, bytes, _memoryBudget);
                }
            }

            Interlocked.Add(ref _reservedBytes, bytes);
            return new MemoryReservation(this, bytes);
        }
        finally
        {
            _budgetLock.Release();
        }
    }

    /// <summary>Deactivates everything (silo shutdown).</summary>
    public Task<int> DeactivateAllAsync(DeactivationReason reason) => DeactivateAsync(static _ => true, reason);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _shutdown.Cancel();
            _shutdown.Dispose();
        }
    }

    internal Grain CreateGrainInstance(GrainClassRegistration grainClass)
    {
        var factory = _factories.GetOrAdd(grainClass.GrainClass, static type => ActivatorUtilities.CreateFactory(type, Type.EmptyTypes));
        return (Grain)factory(_services, null);
    }

    internal void OnActivationFailed(ActivationData activation, Exception exception)
    {
        _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
        LogActivationFailed(_logger, exception, activation.GrainId);
        _instruments.ActivationFailed(activation.GrainId.Type);
    }

    internal void StartDeactivation(ActivationData activation, DeactivationReason reason)
    {
        _ = DeactivateAsync(activation, reason);
    }

    private ActivationData GetOrCreateActivation(GrainId grainId)
    {
        if (_activations.TryGetValue(grainId, out var existing))
        {
            return existing;
        }

        var grainClass = _registry.GetGrainClass(grainId.Type)
            ?? throw new InvalidOperationException($"No grain class is registered on this silo for grain type '{grainId.Type}'.");
        var created = new ActivationData(this, grainId, grainClass);
        var winner = _activations.GetOrAdd(grainId, created);
        if (ReferenceEquals(winner, created))
        {
            _instruments.ActivationCreated(grainId.Type);
        }

        return winner;
    }

    private async Task<bool> DeactivateAsync(ActivationData activation, DeactivationReason reason)
    {
        if (!activation.TryBeginDeactivation())
        {
            return false;
        }

        try
        {
            await activation.Drained.ConfigureAwait(false);
            if (activation.IsActivated && activation.Instance is { } grain)
            {
                try
                {
                    await grain.OnDeactivateAsync(reason, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    LogDeactivationFailed(_logger, ex, activation.GrainId);
                }
            }
        }
        finally
        {
            _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));
            activation.MarkInvalid();
            _instruments.ActivationDeactivated(activation.GrainId.Type, reason);
            LogDeactivated(_logger, activation.GrainId, reason);
            Deactivated?.Invoke(activation.GrainId, reason);
        }

        return true;
    }

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "{GrainId} loads {Bytes} bytes past the memory budget of {Budget}: nothing idle is left to evict")]
    private static partial void LogOverBudget(ILogger logger, GrainId grainId, long bytes, long budget);

    private sealed class MemoryReservation(Catalog? catalog, long bytes) : IDisposable
    {
        public static MemoryReservation None { get; } = new(null, 0);

        private int _disposed;

        public void Dispose()
        {
            if (catalog is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Add(ref catalog._reservedBytes, -bytes);
            }
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Activation of {GrainId} failed")]
    private static partial void LogActivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Deactivation of {GrainId} threw; the activation is removed anyway")]
    private static partial void LogDeactivationFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Deactivated {GrainId} ({Reason})")]
    private static partial void LogDeactivated(ILogger logger, GrainId grainId, DeactivationReason reason);
}
