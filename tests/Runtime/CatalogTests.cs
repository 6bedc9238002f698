using Gordo.Runtime;

namespace Gordo.Tests.Runtime;

/// <summary>The activation rules of the runtime: one activation per key, a single activation for
/// concurrent first calls, turn-based vs reentrant calls, failed activations, deactivation that waits
/// for in-flight calls, and idle collection.</summary>
public sealed class CatalogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Concurrent_first_calls_share_one_activation()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        host.Probe.ActivationGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grain = host.Grains.GetGrain<IReentrantCounterGrain>("a");
        var calls = Enumerable.Range(0, 20).Select(_ => grain.IncrementAsync(false, Ct).AsTask()).ToList();
        await Task.Delay(50, Ct);
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        host.Probe.ActivationGate.SetResult();
        await Task.WhenAll(calls);
        Assert.Equal(1, host.Probe.Activations);
        Assert.Equal(1, host.Catalog.Count);
        Assert.Equal(20, Assert.Single(host.Catalog.GetActivations()).Calls);
    }

    [Fact]
    public async Task Each_key_has_its_own_activation()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => host.Grains.GetGrain<ICounterGrain>($"k{i}").IncrementAsync(false, Ct).AsTask()));
        Assert.Equal(10, host.Probe.Activations);
        Assert.Equal(10, host.Catalog.Count);
    }

    [Fact]
    public async Task A_turn_based_grain_runs_one_call_at_a_time()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        var grain = host.Grains.GetGrain<ICounterGrain>("serial");
        var results = await Task.WhenAll(Enumerable.Range(0, 25).Select(_ => grain.IncrementAsync(true, Ct).AsTask()));
        Assert.Equal(1, host.Probe.MaxConcurrentCalls);
        Assert.Equal(Enumerable.Range(1, 25), results.Order());
    }

    [Fact]
    public async Task A_reentrant_grain_interleaves_calls()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        host.Probe.CallGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grain = host.Grains.GetGrain<IReentrantCounterGrain>("parallel");
        var calls = Enumerable.Range(0, 5).Select(_ => grain.IncrementAsync(true, Ct).AsTask()).ToList();
        await WaitUntilAsync(() => Volatile.Read(ref host.Probe.ConcurrentCalls) == 5);
        host.Probe.CallGate.SetResult();
        await Task.WhenAll(calls);
        Assert.Equal(5, host.Probe.MaxConcurrentCalls);
    }

    [Fact]
    public async Task A_failed_activation_fails_its_waiters_and_the_next_call_activates_afresh()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        host.Probe.FailActivation["fragile"] = 1;
        host.Probe.ActivationGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var grain = host.Grains.GetGrain<IReentrantCounterGrain>("fragile");
        var calls = Enumerable.Range(0, 5).Select(_ => grain.IncrementAsync(false, Ct).AsTask()).ToList();
        host.Probe.ActivationGate.SetResult();
        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => call);
            Assert.Contains("failed on purpose", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, host.Catalog.Count);
        Assert.Equal(1, await grain.IncrementAsync(false, Ct));
        Assert.Equal(1, host.Probe.Activations);
    }

    [Fact]
    public async Task Deactivation_waits_for_calls_in_flight_and_later_calls_get_a_fresh_activation()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        var grain = host.Grains.GetGrain<IReentrantCounterGrain>("busy");
        await grain.IncrementAsync(false, Ct);
        host.Probe.CallGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = grain.IncrementAsync(true, Ct).AsTask();
        await WaitUntilAsync(() => Volatile.Read(ref host.Probe.ConcurrentCalls) == 1);

        var id = Assert.Single(host.Catalog.GetActivations()).GrainId;
        var deactivation = host.Catalog.DeactivateAsync(id, DeactivationReason.Evicted);
        var laterCall = grain.IncrementAsync(false, Ct).AsTask();
        await Task.Delay(100, Ct);
        Assert.False(deactivation.IsCompleted);
        Assert.False(laterCall.IsCompleted);
        Assert.Equal(0, host.Probe.Deactivations);

        host.Probe.CallGate.SetResult();
        Assert.Equal(2, await inFlight);
        Assert.True(await deactivation);
        Assert.Equal(1, await laterCall); // a new activation starts from zero
        Assert.Equal(2, host.Probe.Activations);
        Assert.Contains(("busy", DeactivationReason.Evicted), host.Probe.DeactivationLog);
    }

    [Fact]
    public async Task Idle_activations_are_collected_and_come_back_on_the_next_call()
    {
        await using var host = await RuntimeTestHost.StartAsync(collectionAge: TimeSpan.FromMilliseconds(200));
        var grain = host.Grains.GetGrain<ICounterGrain>("idle");
        await grain.IncrementAsync(false, Ct);
        await WaitUntilAsync(() => host.Catalog.Count == 0);
        Assert.Contains(("idle", DeactivationReason.IdleTimeout), host.Probe.DeactivationLog);
        Assert.Equal(1, await grain.IncrementAsync(false, Ct));
        Assert.Equal(2, host.Probe.Activations);
    }

    [Fact]
    public async Task A_grain_can_ask_to_be_deactivated()
    {
        await using var host = await RuntimeTestHost.StartAsync();
        var grain = host.Grains.GetGrain<ICounterGrain>("leaver");
        Assert.Equal("leaver", await grain.DeactivateAsync(Ct));
        await WaitUntilAsync(() => host.Catalog.Count == 0);
        Assert.Contains(("leaver", DeactivationReason.ApplicationRequested), host.Probe.DeactivationLog);
    }

    [Fact]
    public async Task Shutdown_deactivates_everything()
    {
        var host = await RuntimeTestHost.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => host.Grains.GetGrain<ICounterGrain>($"s{i}").IncrementAsync(false, Ct).AsTask()));
        var probe = host.Probe;
        await host.DisposeAsync();
        Assert.Equal(4, probe.Deactivations);
        Assert.All(probe.DeactivationLog, e => Assert.Equal(DeactivationReason.ShuttingDown, e.Reason));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(10, Ct);
        }
    }
}
