using System.Buffers;
using Gordo.Frames;
using Gordo.Frames.Json;

namespace Gordo.Tests.Frames;

/// <summary>
/// The JSON encoder with a second core (<see cref="ISpareCore"/>): the bytes are those of the encoder on
/// one core, the helper works while the writer is held up and gives its core back rather than wait, and
/// a writer that fails leaves no core taken and no helper running.
/// </summary>
public sealed class HelpedFrameJsonWriterTests
{
    private const int Rows = 10_000;

    [Fact]
    public void While_the_output_is_held_up_the_helper_formats_a_few_sections_ahead_and_gives_its_core_back()
    {
        using var frame = Frame(Rows);
        using var plan = new FramePlan(frame);
        var plain = new ArrayBufferWriter<byte>();
        for (var section = 0; section < plan.Count; section++)
        {
            plan.Write(section, plain);
        }

        var spare = new CountingSpareCore(lend: true);
        var writer = new SectionsAhead(plan, spare);
        var helpedWhileHeldUp = -1;
        // The output's second span is asked for inside the first section, after the helper was called:
        // it waits there until the helper has stopped on its own, at most the lookahead in front.
        var output = new HookedWriter(onSpan: n =>
        {
            if (n == 2)
            {
                Assert.True(spare.ReturnedElsewhere.Wait(TimeSpan.FromSeconds(60)), "the helper never ran and stopped while the output was held up");
                Assert.Equal(0, spare.Outstanding);
                helpedWhileHeldUp = writer.HelperSections;
            }
        });

        var emitter = new JsonEmitter(output);
        writer.WriteInOrder(ref emitter);
        emitter.Commit();

        Assert.Equal(SectionsAhead.Lookahead - 1, helpedWhileHeldUp);
        Assert.True(writer.HelperSections >= helpedWhileHeldUp);
        Assert.Equal(plain.WrittenSpan.ToArray(), output.Written);
        Assert.Equal(0, spare.Outstanding);
    }

    [Fact]
    public void A_helped_answer_is_byte_for_byte_the_unhelped_one()
    {
        using var frame = Frame(Rows);
        var spare = new CountingSpareCore(lend: true);
        var output = new HookedWriter(onSpan: n => Thread.SpinWait(20_000));
        FrameJsonWriter.WriteResponse(output, frame, "0.0100", "1700000000000", spare);
        Assert.Equal(Unhelped(frame), output.Written);
        Assert.True(spare.Taken >= 1);
        Assert.Equal(0, spare.Outstanding);
    }

    [Fact]
    public void With_no_core_to_spare_the_bytes_are_the_same()
    {
        using var frame = Frame(Rows);
        var spare = new CountingSpareCore(lend: false);
        var output = new ArrayBufferWriter<byte>();
        FrameJsonWriter.WriteResponse(output, frame, "0.0100", "1700000000000", spare);
        Assert.Equal(Unhelped(frame), output.WrittenSpan.ToArray());
        Assert.True(spare.Asked >= 1);
        Assert.Equal(0, spare.Taken);
    }

    [Fact]
    public void An_output_that_fails_mid_answer_returns_only_once_the_helper_has_stopped_and_given_its_core_back()
    {
        using var frame = Frame(Rows);
        using var plan = new FramePlan(frame);
        var spare = new CountingSpareCore(lend: true);
        var writer = new SectionsAhead(plan, spare);
        var output = new HookedWriter(onSpan: n =>
        {
            if (n == 2)
            {
                // Held up inside the first section (always the caller's own), the caller lets the helper run
                // into the lookahead and stop; its core is held on the way back, and the caller fails
                // meanwhile, as a socket whose client went away does. It must not return before the helper
                // has given its core back, 300 ms later.
                Assert.True(spare.HeldInReturn.Wait(TimeSpan.FromSeconds(60)), "the helper did not stop while the output was held up");
                spare.LetHeldReturnGo(after: TimeSpan.FromMilliseconds(300));
                throw new IOException("the client went away");
            }
        });

        spare.HoldNextReturn();
        var thrown = Assert.Throws<IOException>(() =>
        {
            var emitter = new JsonEmitter(output);
            writer.WriteInOrder(ref emitter);
        });

        Assert.Equal("the client went away", thrown.Message);
        Assert.Equal(0, spare.Outstanding);
    }

    [Fact]
    public void A_small_frame_is_not_helped()
    {
        using var frame = Frame(rows: 100);
        var spare = new CountingSpareCore(lend: true);
        var output = new ArrayBufferWriter<byte>();
        FrameJsonWriter.WriteResponse(output, frame, "0.0100", "1700000000000", spare);
        Assert.Equal(Unhelped(frame), output.WrittenSpan.ToArray());
        Assert.Equal(0, spare.Asked);
    }

    private static byte[] Unhelped(ResultFrame frame)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameJsonWriter.WriteResponse(output, frame, "0.0100", "1700000000000");
        var plain = output.WrittenSpan.ToArray();
        // Every column is more than one section, so the seams between sections are checked too.
        Assert.True(Rows > 2 * FramePlan.RowsPerSection);
        return plain;
    }

    private static ResultFrame Frame(int rows)
    {
        var ticks = PooledArrays.Rent<long>(rows);
        var offsets = PooledArrays.Rent<short>(rows);
        for (var r = 0; r < rows; r++)
        {
            ticks[r] = new DateTime(2020, 3, 1).AddMinutes(10 * r).Ticks;
            offsets[r] = 60;
        }

        var random = new Random(17);
        ResultColumnGroup Group(string name, string[] subNames)
        {
            var group = ResultColumnGroup.Create(name, subNames, rows);
            var values = group.Values;
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = random.NextDouble() < 0.01 ? double.NaN : (float)((random.NextDouble() - 0.3) * 100);
            }

            return group;
        }

        string[] tags = ["tag-b", "tag-a", "tag-c"];
        return new ResultFrame(FrameIndex.Timestamps(ticks, offsets, rows), TimeSpan.FromMinutes(10),
            [Group("model-output", tags), Group("model-input", tags), Group("total-anomaly-scaled", [""]), Group("tag-anomaly-scaled", tags)]);
    }

    /// <summary>Counts what the encoder takes and gives back, and on which thread it is given back.</summary>
    private sealed class CountingSpareCore(bool lend) : ISpareCore
    {
        private readonly int _caller = Environment.CurrentManagedThreadId;
        private readonly ManualResetEventSlim _letGo = new();
        private int _asked;
        private int _taken;
        private int _outstanding;
        private int _holdNext;

        public int Asked => Volatile.Read(ref _asked);

        public int Taken => Volatile.Read(ref _taken);

        public int Outstanding => Volatile.Read(ref _outstanding);

        /// <summary>Set when a core is given back by a thread other than the test's (a helper that ran).</summary>
        public ManualResetEventSlim ReturnedElsewhere { get; } = new();

        /// <summary>Makes the next core a helper gives back wait in <see cref="Return"/> until <see cref="LetHeldReturnGo"/>.</summary>
        public void HoldNextReturn() => Volatile.Write(ref _holdNext, 1);

        /// <summary>Set once a helper is held in <see cref="Return"/>.</summary>
        public ManualResetEventSlim HeldInReturn { get; } = new();

        public void LetHeldReturnGo(TimeSpan after) => _ = Task.Delay(after).ContinueWith(_ => _letGo.Set(), TaskScheduler.Default);

        public bool TryTake()
        {
            Interlocked.Increment(ref _asked);
            if (!lend)
            {
                return false;
            }

            Interlocked.Increment(ref _taken);
            Interlocked.Increment(ref _outstanding);
            return true;
        }

        public void Return()
        {
            if (Environment.CurrentManagedThreadId != _caller && Interlocked.Exchange(ref _holdNext, 0) == 1)
            {
                HeldInReturn.Set();
                _letGo.Wait(TimeSpan.FromSeconds(60));
            }

            Assert.True(Interlocked.Decrement(ref _outstanding) >= 0, "a core was given back twice");
            if (Environment.CurrentManagedThreadId != _caller)
            {
                ReturnedElsewhere.Set();
            }
        }
    }

    /// <summary>An output that runs a hook each time it is asked for a span (1, 2, ...) and hands out spans of the size asked.</summary>
    private sealed class HookedWriter(Action<int> onSpan) : IBufferWriter<byte>
    {
        private readonly ArrayBufferWriter<byte> _inner = new();
        private int _spans;

        public byte[] Written => _inner.WrittenSpan.ToArray();

        public void Advance(int count) => _inner.Advance(count);

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            // Exactly what was asked for (an ArrayBufferWriter would hand out all its free room).
            onSpan(++_spans);
            return _inner.GetMemory(sizeHint)[..Math.Max(sizeHint, 1)];
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
