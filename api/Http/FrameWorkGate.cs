using Gordo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Http;

/// <summary>
/// Lets <see cref="ApiOptions.MaxConcurrentFrameWork"/> requests decode or encode frames at once, the
/// rest in arrival order, with answers to encode ahead of requests to decode: a request that has been
/// decoded and answered by its model is finished before new ones are started. That keeps each request
/// to one wait in the queue rather than two (a long queue otherwise doubles the tail of the latency), and
/// frames already decoded are let go sooner. Only CPU-bound work is gated: reading bodies, grain calls
/// (which may wait on another silo) and writing responses are not. A free slot is also a core a large
/// answer's JSON encoder may borrow (<see cref="ISpareCore"/>).
/// </summary>
public sealed class FrameWorkGate : ISpareCore
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _encodes = new();
    private readonly Queue<TaskCompletionSource> _decodes = new();
    private readonly bool _open;
    private int _free;

    public FrameWorkGate(IOptions<ApiOptions> options)
    {
        _free = options.Value.MaxConcurrentFrameWork;
        _open = _free <= 0;
    }

    /// <summary>Waits for a slot for <paramref name="work"/>; dispose the result to give it back.</summary>
    public ValueTask<Slot> EnterAsync(FrameWork work, CancellationToken cancellationToken)
    {
        if (_open)
        {
            return ValueTask.FromResult(default(Slot));
        }

        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_free > 0)
            {
                _free--;
                return ValueTask.FromResult(new Slot(this));
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (work == FrameWork.Encode ? _encodes : _decodes).Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Takes a slot only if one is free (no request is waiting): a second core for a large answer's encoder.</summary>
    public bool TryTake()
    {
        if (_open)
        {
            return true;
        }

        lock (_lock)
        {
            if (_free == 0)
            {
                return false;
            }

            _free--;
            return true;
        }
    }

    /// <summary>Gives back a slot <see cref="TryTake"/> took; a waiting request gets it, answers first.</summary>
    public void Return()
    {
        if (!_open)
        {
            Release();
        }
    }

    private async ValueTask<Slot> WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // A cancelled waiter stays queued and is skipped when its turn comes (Release hands the slot on).
        await using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter).ConfigureAwait(false))
        {
            await waiter.Task.ConfigureAwait(false);
        }

        return new Slot(this);
    }

    private void Release()
    {
        lock (_lock)
        {
            while (_encodes.TryDequeue(out var waiter) || _decodes.TryDequeue(out waiter))
            {
                if (waiter.TrySetResult())
                {
                    return; // the slot passes to the waiter
                }
            }

            _free++;
        }
    }

    /// <summary>A held slot.</summary>
    public readonly struct Slot(FrameWorkGate? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
