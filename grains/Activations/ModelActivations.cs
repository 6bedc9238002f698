using System.Collections.Concurrent;
using Gordo.GrainInterfaces;
using Gordo.Grains.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Grains.Activations;

/// <summary>
/// The model grains active on this silo, and Gordo's budget over the bytes their loaded models hold
/// (ONNX Runtime's native memory and the managed copies: Orleans' memory shedding sees only the
/// process). Before a model loads, the least recently used idle models are deactivated through Orleans
/// until the new one fits. It also answers the per-silo listing and eviction broadcasts.
/// </summary>
public sealed partial class ModelActivations(IOptions<ModelMemoryOptions> options, ILogger<ModelActivations> logger)
{
    /// <summary>How long an eviction waits for each grain to finish its calls and go.</summary>
    public static readonly TimeSpan DeactivationWait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<ModelGrain, byte> _grains = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _budgetLock = new(1, 1);
    private long _reservedBytes;

    public long MemoryBudgetBytes => options.Value.MemoryBudgetBytes;

    public int Count => _grains.Count;

    /// <summary>Bytes held by the loaded models of this silo now.</summary>
    public long MemoryBytes => _grains.Keys.Sum(g => g.MemoryBytes);

    public IReadOnlyList<ModelGrain> Snapshot() => [.. _grains.Keys];

    internal void Add(ModelGrain grain) => _grains.TryAdd(grain, 0);

    internal void Remove(ModelGrain grain) => _grains.TryRemove(grain, out _);

    /// <summary>Deactivates the matching model grains (calls in flight finish first) and waits until they are gone.</summary>
    public async Task<int> DeactivateAsync(Func<string, bool> matchesKey, DeactivationReason reason)
    {
        var matching = _grains.Keys.Where(g => matchesKey(g.Key)).ToList();
        foreach (var grain in matching)
        {
            LogDeactivating(logger, grain.Key, reason.Description);
        }

        var done = await Task.WhenAll(matching.Select(g => g.DeactivateAsync(reason, DeactivationWait))).ConfigureAwait(false);
        return done.Count(d => d);
    }

    /// <summary>
    /// Makes room for <paramref name="bytes"/> under the budget before <paramref name="requester"/> loads
    /// them. Dispose the reservation once the loaded bytes show in the grain's <see cref="ModelGrain.MemoryBytes"/>.
    /// </summary>
    internal async Task<IDisposable> ReserveAsync(ModelGrain requester, long bytes, CancellationToken cancellationToken)
    {
        var budget = MemoryBudgetBytes;
        if (budget <= 0 || bytes <= 0)
        {
            return Reservation.None;
        }

        await _budgetLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var excess = MemoryBytes + Volatile.Read(ref _reservedBytes) + bytes - budget;
            if (excess > 0)
            {
                var candidates = _grains.Keys
                    .Where(g => !ReferenceEquals(g, requester) && g.MemoryBytes > 0 && g.InFlightCalls == 0)
                    .OrderBy(g => g.LastUsedTicks)
                    .ToList();
                foreach (var candidate in candidates)
                {
                    if (excess <= 0)
                    {
                        break;
                    }

                    var freed = candidate.MemoryBytes;
                    if (await candidate.DeactivateAsync(new DeactivationReason(DeactivationReasonCode.HighMemoryPressure, "model memory budget"), DeactivationWait)
                        .ConfigureAwait(false))
                    {
                        excess -= freed;
                    }
                }

                if (excess > 0)
                {
                    LogOverBudget(logger, requester.Key, bytes, budget);
                }
            }

            Interlocked.Add(ref _reservedBytes, bytes);
            return new Reservation(this, bytes);
        }
        finally
        {
            _budgetLock.Release();
        }
    }

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Deactivating model/{Key} ({Reason})")]
    private static partial void LogDeactivating(ILogger logger, string key, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "model/{Key} loads {Bytes} bytes past the memory budget of {Budget}: nothing idle is left to evict")]
    private static partial void LogOverBudget(ILogger logger, string key, long bytes, long budget);

    private sealed class Reservation(ModelActivations? owner, long bytes) : IDisposable
    {
        public static readonly Reservation None = new(null, 0);

        private int _disposed;

        public void Dispose()
        {
            if (owner is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Add(ref owner._reservedBytes, -bytes);
            }
        }
    }
}
