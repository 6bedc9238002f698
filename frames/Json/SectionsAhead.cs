using System.Runtime.ExceptionServices;

namespace Gordo.Frames.Json;

/// <summary>
/// Writes a <see cref="FramePlan"/>'s sections in order on the calling thread while a helper on the
/// thread pool formats the sections after the caller's into pooled buffers, for as long as an
/// <see cref="ISpareCore"/> lends it a core; the caller copies them in when it gets there. Both take the
/// next section in order, so the caller waits at most for the one section the helper is on. The helper
/// never blocks: it stops when it would have to wait (the caller is about to take the next section, or
/// it is <see cref="Lookahead"/> sections ahead, which bounds what a slow client makes it hold) and the
/// caller calls it again when there is work. The caller does not return while the helper runs: the
/// frame's pooled arrays go back when the caller's caller disposes it.
/// </summary>
internal sealed class SectionsAhead
{
    internal const int Lookahead = 4;

    private readonly FramePlan _plan;
    private readonly ISpareCore _spare;
    private readonly PooledBufferWriter?[] _ready;
    private readonly object _sync = new();

    /// <summary>The next section nobody has taken.</summary>
    private int _next;

    /// <summary>Sections the caller has written or copied in.</summary>
    private int _emitted;
    private bool _stopped;
    private HelperState _helper;

    /// <summary>Helpers that have stopped but not yet given their core back.</summary>
    private int _returning;
    private ExceptionDispatchInfo? _failure;
    private int _helped;

    internal SectionsAhead(FramePlan plan, ISpareCore spare)
    {
        _plan = plan;
        _spare = spare;
        _ready = new PooledBufferWriter?[plan.Count];
    }

    private enum HelperState
    {
        Idle,
        Queued,
        Running,
    }

    /// <summary>Sections the helper has formatted so far.</summary>
    internal int HelperSections => Volatile.Read(ref _helped);

    public static void Write(FramePlan plan, ISpareCore spare, ref JsonEmitter emitter) =>
        new SectionsAhead(plan, spare).WriteInOrder(ref emitter);

    internal void WriteInOrder(ref JsonEmitter emitter)
    {
        try
        {
            for (var section = 0; section < _plan.Count; section++)
            {
                bool mine;
                lock (_sync)
                {
                    mine = _next == section;
                    if (mine)
                    {
                        _next++;
                        WakeHelper();
                    }
                }

                if (mine)
                {
                    _plan.Write(section, ref emitter);
                }
                else
                {
                    using var buffer = TakeReady(section);
                    emitter.Copy(buffer.WrittenMemory.Span);
                }

                lock (_sync)
                {
                    _emitted = section + 1;
                    WakeHelper();
                }
            }
        }
        finally
        {
            Stop();
        }
    }

    /// <summary>Calls the helper (under the lock) when it is idle, has a section to take and a core is spare.</summary>
    private void WakeHelper()
    {
        if (_helper == HelperState.Idle && CanClaim() && _spare.TryTake())
        {
            _helper = HelperState.Queued;
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Help(), this, preferLocal: false);
        }
    }

    /// <summary>The caller is busy with a section before the next one, and the next is within <see cref="Lookahead"/>.</summary>
    private bool CanClaim() => !_stopped && _failure is null && _next < _plan.Count && _next > _emitted && _next < _emitted + Lookahead;

    private PooledBufferWriter TakeReady(int section)
    {
        lock (_sync)
        {
            while (_ready[section] is null)
            {
                _failure?.Throw();
                Monitor.Wait(_sync);
            }

            var buffer = _ready[section]!;
            _ready[section] = null;
            return buffer;
        }
    }

    private void Help()
    {
        lock (_sync)
        {
            if (_helper != HelperState.Queued)
            {
                return; // the caller finished first and gave the core back
            }

            _helper = HelperState.Running;
        }

        try
        {
            while (true)
            {
                int section;
                lock (_sync)
                {
                    if (!CanClaim())
                    {
                        // Idle in the same lock that saw no work, so the caller's next wake is not lost.
                        _helper = HelperState.Idle;
                        _returning++;
                        return;
                    }

                    section = _next++;
                }

                var buffer = new PooledBufferWriter(_plan.EstimateBytes(section));
                try
                {
                    _plan.Write(section, buffer);
                }
                catch
                {
                    buffer.Dispose();
                    throw;
                }

                lock (_sync)
                {
                    _ready[section] = buffer;
                    _helped++;
                    Monitor.PulseAll(_sync);
                }
            }
        }
        catch (Exception ex)
        {
            lock (_sync)
            {
                _failure = ExceptionDispatchInfo.Capture(ex);
                _helper = HelperState.Idle;
                _returning++;
                Monitor.PulseAll(_sync);
            }
        }
        finally
        {
            _spare.Return();
            lock (_sync)
            {
                _returning--;
                Monitor.PulseAll(_sync);
            }
        }
    }

    private void Stop()
    {
        var cancelled = false;
        lock (_sync)
        {
            _stopped = true;
            if (_helper == HelperState.Queued)
            {
                _helper = HelperState.Idle;
                cancelled = true;
            }

            while (_helper == HelperState.Running || _returning > 0)
            {
                Monitor.Wait(_sync);
            }
        }

        if (cancelled)
        {
            _spare.Return();
        }

        foreach (var left in _ready)
        {
            left?.Dispose();
        }
    }
}
