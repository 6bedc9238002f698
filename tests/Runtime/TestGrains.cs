using System.Collections.Concurrent;
using Gordo.Runtime;

namespace Gordo.Tests.Runtime;

/// <summary>Records what the runtime did to the test grains, and lets tests hold calls or fail activations.</summary>
public sealed class GrainProbe
{
    private int _activations;
    private int _deactivations;

    public int Activations => Volatile.Read(ref _activations);

    public int Deactivations => Volatile.Read(ref _deactivations);

    public ConcurrentQueue<(string Key, DeactivationReason Reason)> DeactivationLog { get; } = new();

    /// <summary>Activation waits for this gate (to make concurrent first calls overlap).</summary>
    public TaskCompletionSource ActivationGate { get; set; } = CompletedSource();

    /// <summary>Keys whose activation throws, and how many times.</summary>
    public ConcurrentDictionary<string, int> FailActivation { get; } = new();

    /// <summary>Calls with this argument wait for <see cref="CallGate"/>.</summary>
    public TaskCompletionSource CallGate { get; set; } = CompletedSource();

    public int MaxConcurrentCalls;

    internal int ConcurrentCalls;

    internal void Activated() => Interlocked.Increment(ref _activations);

    internal void Deactivated(string key, DeactivationReason reason)
    {
        Interlocked.Increment(ref _deactivations);
        DeactivationLog.Enqueue((key, reason));
    }

    private static TaskCompletionSource CompletedSource()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}

public interface ICounterGrain : IGrainWithStringKey
{
    ValueTask<int> IncrementAsync(bool wait, CancellationToken cancellationToken);

    ValueTask<string> DeactivateAsync(CancellationToken cancellationToken);
}

public interface IReentrantCounterGrain : ICounterGrain;

public static class CounterGrainMethods
{
    public static readonly GrainMethod<ICounterGrain, bool, int> Increment = new("Increment", static (g, wait, ct) => g.IncrementAsync(wait, ct), PrimitiveCodecs.Boolean, PrimitiveCodecs.Int32);

    public static readonly GrainMethod<ICounterGrain, NoArguments, string> Deactivate = new("Deactivate", static (g, _, ct) => g.DeactivateAsync(ct), NoArgumentsCodec.Instance, PrimitiveCodecs.String);
}

public sealed class CounterGrainReference(GrainId id, IGrainCallInvoker invoker) : IReentrantCounterGrain
{
    public ValueTask<int> IncrementAsync(bool wait, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(id, CounterGrainMethods.Increment, wait, cancellationToken);

    public ValueTask<string> DeactivateAsync(CancellationToken cancellationToken) =>
        invoker.InvokeAsync(id, CounterGrainMethods.Deactivate, NoArguments.Value, cancellationToken);
}

/// <summary>A turn-based grain: one call at a time.</summary>
public class CounterGrain(GrainProbe probe) : Grain, ICounterGrain
{
    private int _count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await probe.ActivationGate.Task;
        if (probe.FailActivation.TryGetValue(GrainKey, out var remaining) && remaining > 0)
        {
            probe.FailActivation[GrainKey] = remaining - 1;
            throw new InvalidOperationException($"activation of {GrainKey} failed on purpose");
        }

        probe.Activated();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Deactivated(GrainKey, reason);
        return Task.CompletedTask;
    }

    public async ValueTask<int> IncrementAsync(bool wait, CancellationToken cancellationToken)
    {
        var concurrent = Interlocked.Increment(ref probe.ConcurrentCalls);
        int observed;
        do
        {
            observed = Volatile.Read(ref probe.MaxConcurrentCalls);
        }
        while (concurrent > observed && Interlocked.CompareExchange(ref probe.MaxConcurrentCalls, concurrent, observed) != observed);

        try
        {
            var before = _count;
            if (wait)
            {
                await probe.CallGate.Task.WaitAsync(cancellationToken);
            }

            await Task.Yield();
            _count = before + 1; // racy unless calls are serialised
            return _count;
        }
        finally
        {
            Interlocked.Decrement(ref probe.ConcurrentCalls);
        }
    }

    public ValueTask<string> DeactivateAsync(CancellationToken cancellationToken)
    {
        DeactivateOnIdle();
        return ValueTask.FromResult(GrainKey);
    }
}

[Reentrant]
public sealed class ReentrantCounterGrain(GrainProbe probe) : CounterGrain(probe), IReentrantCounterGrain;
