namespace Gordo.Frames.Json;

/// <summary>
/// Decodes a large request's last frame (gordo clients send <c>{"X": ..., "y": ...}</c>, y last) on a
/// spare core while the caller decodes the frames before it. Where y starts is a guess from the end of
/// the body (the last <c>"y": {</c> that stands where a top-level name can); the caller takes the
/// helper's frame only when its own scan reaches y at exactly that byte, so a wrong guess (a column named
/// y, another order) costs the helper's work and changes nothing: a frame's bytes decode the same from
/// the same position on any thread. A helper that has not started when the caller gets there is taken
/// back, and the caller decodes y itself; one that is running is waited for.
/// </summary>
internal sealed class LastFrameAhead : IThreadPoolWorkItem, IDisposable
{
    /// <summary>
    /// Bytes before the guessed start of y, and from it to the end, below which a second thread is not used:
    /// with little before y the caller would only wait for the helper, and a 1 000-row body (0.9 MB) at 8
    /// connections measured no gain (alternating rounds split), so only bodies of about 10 000 rows and up
    /// are helped.
    /// </summary>
    public const int MinFrameBytes = 1024 * 1024;

    private const int Queued = 0;
    private const int Running = 1;
    private const int Done = 2;
    private const int TakenBack = 3;

    private readonly ReadOnlyMemory<byte> _body;
    private readonly ISpareCore _spareCore;
    private readonly Func<ReadOnlyMemory<byte>, int, (DataFrame? Frame, int End)> _decode;
    private readonly ManualResetEventSlim _done = new();
    private int _state;
    private DataFrame? _frame;
    private int _end;

    private LastFrameAhead(ReadOnlyMemory<byte> body, int start, ISpareCore spareCore, Func<ReadOnlyMemory<byte>, int, (DataFrame? Frame, int End)> decode)
    {
        _body = body;
        Start = start;
        _spareCore = spareCore;
        _decode = decode;
    }

    /// <summary>The byte where the helper's frame starts (its opening brace).</summary>
    public int Start { get; }

    /// <summary>
    /// A helper for the last frame when the body has one worth a second core and <paramref name="spareCore"/>
    /// lends one; <paramref name="queue"/> hands it to a thread (the thread pool; tests hold it back).
    /// </summary>
    public static LastFrameAhead? TryStart(
        ReadOnlyMemory<byte> body,
        ISpareCore spareCore,
        Func<ReadOnlyMemory<byte>, int, (DataFrame? Frame, int End)> decode,
        Action<IThreadPoolWorkItem>? queue = null)
    {
        // The guess scans y from the end (1.5 ms for a 19 MB 10 000 x 20 body, under 1 % of its CPU), also when
        // no core is free: asking for a core only for bodies with a y after X keeps a slot from being taken for nothing.
        var start = GuessLastFrame(body.Span);
        if (start < MinFrameBytes || body.Length - start < MinFrameBytes || !spareCore.TryTake())
        {
            return null;
        }

        var ahead = new LastFrameAhead(body, start, spareCore, decode);
        if (queue is null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(ahead, preferLocal: false);
        }
        else
        {
            queue(ahead);
        }

        return ahead;
    }

    /// <summary>The opening brace of the last <c>"y"</c>'s value, when that name follows <c>{</c> or <c>,</c>
    /// and a colon and a brace follow it; else -1.</summary>
    internal static int GuessLastFrame(ReadOnlySpan<byte> body)
    {
        var name = body.LastIndexOf("\"y\""u8);
        if (name < 0)
        {
            return -1;
        }

        var before = body[..name].TrimEnd(" \t\r\n"u8);
        if (before.IsEmpty || before[^1] is not ((byte)',' or (byte)'{'))
        {
            return -1;
        }

        var after = body[(name + 3)..].TrimStart(" \t\r\n"u8);
        if (after.IsEmpty || after[0] != ':')
        {
            return -1;
        }

        after = after[1..].TrimStart(" \t\r\n"u8);
        return !after.IsEmpty && after[0] == '{' ? body.Length - after.Length : -1;
    }

    public void Execute()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Queued) != Queued)
        {
            return; // taken back: the caller decoded it and gave the core back
        }

        try
        {
            (_frame, _end) = _decode(_body, Start);
        }
        catch (Exception)
        {
            // The caller decodes the frame again from the same bytes and meets the same error itself.
            _frame = null;
        }
        finally
        {
            _spareCore.Return();
            Volatile.Write(ref _state, Done);
            _done.Set();
        }
    }

    /// <summary>
    /// The helper's frame if the caller's frame starts at <paramref name="start"/> and the helper decoded it
    /// (waiting for a running helper), with the byte after it; false when the caller is to decode it itself.
    /// </summary>
    public bool TryTake(int start, out DataFrame? frame, out int end)
    {
        frame = null;
        end = 0;
        if (start != Start || !Settle() || _frame is null)
        {
            return false;
        }

        (frame, _frame, end) = (_frame, null, _end);
        return true;
    }

    /// <summary>Waits for a running helper (takes back a queued one) and disposes a frame nobody took.</summary>
    public void Dispose()
    {
        Settle();
        _frame?.Dispose();
        _frame = null;
        _done.Dispose();
    }

    /// <summary>True once the helper has run; false if it was taken back before it started (its core given back here).</summary>
    private bool Settle()
    {
        switch (Interlocked.CompareExchange(ref _state, TakenBack, Queued))
        {
            case Queued:
                _spareCore.Return();
                return false;
            case TakenBack:
                return false;
            default:
                _done.Wait();
                return true;
        }
    }
}
