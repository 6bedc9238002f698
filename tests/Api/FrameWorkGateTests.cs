using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Microsoft.Extensions.Options;

namespace Gordo.Tests.Api;

/// <summary>
/// The frame-work gate lets its slots' worth of decodes and encodes through; waiting answers to encode go
/// ahead of waiting requests to decode, each kind in arrival order; a waiter that gives up is skipped
/// and its turn does not lose the slot; a spare core for an encoder's helper is a free slot only.
/// </summary>
public sealed class FrameWorkGateTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Waiting_encodes_go_before_waiting_decodes_and_each_kind_in_arrival_order()
    {
        var gate = Gate(slots: 1);
        var held = await gate.EnterAsync(FrameWork.Decode, CancellationToken.None);
        var order = new List<string>();
        var waiters = new[]
        {
            Take(gate, FrameWork.Decode, "decode 1", order),
            Take(gate, FrameWork.Encode, "encode 1", order),
            Take(gate, FrameWork.Decode, "decode 2", order),
            Take(gate, FrameWork.Encode, "encode 2", order),
        };
        Assert.All(waiters, waiter => Assert.False(waiter.IsCompleted));

        held.Dispose();
        await Task.WhenAll(waiters).WaitAsync(Deadline, TestContext.Current.CancellationToken);
        Assert.Equal(["encode 1", "encode 2", "decode 1", "decode 2"], order);
    }

    [Fact]
    public async Task A_waiter_that_gives_up_is_skipped_and_the_slot_passes_on()
    {
        var gate = Gate(slots: 1);
        var held = await gate.EnterAsync(FrameWork.Encode, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var abandoned = gate.EnterAsync(FrameWork.Encode, giveUp.Token).AsTask();
        var next = gate.EnterAsync(FrameWork.Decode, CancellationToken.None).AsTask();

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Deadline, TestContext.Current.CancellationToken));
        Assert.False(next.IsCompleted);

        held.Dispose();
        var slot = await next.WaitAsync(Deadline, TestContext.Current.CancellationToken);
        slot.Dispose();

        // The one slot is free again: two entries in a row, the second waiting for the first.
        var again = await gate.EnterAsync(FrameWork.Decode, CancellationToken.None).AsTask().WaitAsync(Deadline, TestContext.Current.CancellationToken);
        var behind = gate.EnterAsync(FrameWork.Decode, CancellationToken.None).AsTask();
        Assert.False(behind.IsCompleted);
        again.Dispose();
        (await behind.WaitAsync(Deadline, TestContext.Current.CancellationToken)).Dispose();
    }

    [Fact]
    public async Task Two_slots_let_two_through_and_no_limit_lets_everyone_through()
    {
        var two = Gate(slots: 2);
        var first = await two.EnterAsync(FrameWork.Decode, CancellationToken.None);
        var second = await two.EnterAsync(FrameWork.Encode, CancellationToken.None);
        var third = two.EnterAsync(FrameWork.Encode, CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        second.Dispose();
        (await third.WaitAsync(Deadline, TestContext.Current.CancellationToken)).Dispose();
        first.Dispose();

        var open = Gate(slots: 0);
        var many = Enumerable.Range(0, 100).Select(_ => open.EnterAsync(FrameWork.Decode, CancellationToken.None)).ToArray();
        Assert.All(many, entry => Assert.True(entry.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task A_spare_core_is_only_a_free_slot_and_given_back_it_goes_to_a_waiting_answer_first()
    {
        var gate = Gate(slots: 2);
        var held = await gate.EnterAsync(FrameWork.Encode, CancellationToken.None);
        Assert.True(gate.TryTake());
        Assert.False(gate.TryTake());
        var decode = gate.EnterAsync(FrameWork.Decode, CancellationToken.None).AsTask();
        var encode = gate.EnterAsync(FrameWork.Encode, CancellationToken.None).AsTask();
        Assert.False(decode.IsCompleted);

        gate.Return();
        (await encode.WaitAsync(Deadline, TestContext.Current.CancellationToken)).Dispose();
        (await decode.WaitAsync(Deadline, TestContext.Current.CancellationToken)).Dispose();
        held.Dispose();

        // Both slots are free again, and with no limit a core is always spare.
        Assert.True(gate.TryTake());
        Assert.True(gate.TryTake());
        Assert.False(gate.TryTake());
        Assert.True(Gate(slots: 0).TryTake());
    }

    private static FrameWorkGate Gate(int slots) => new(Options.Create(new ApiOptions { MaxConcurrentFrameWork = slots }));

    private static async Task Take(FrameWorkGate gate, FrameWork work, string name, List<string> order)
    {
        using var slot = await gate.EnterAsync(work, CancellationToken.None);
        lock (order)
        {
            order.Add(name);
        }
    }
}
