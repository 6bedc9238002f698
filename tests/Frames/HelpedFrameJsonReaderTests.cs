using System.Globalization;
using System.Text;
using Gordo.Frames;
using Gordo.Frames.Json;

namespace Gordo.Tests.Frames;

/// <summary>
/// The request decoder with a second core (<see cref="LastFrameAhead"/>): the frames are those decoded on
/// one core whatever the helper did (ran first, ran late, never ran, started at the wrong byte), the
/// caller waits for a running helper, and every core taken is given back exactly once.
/// </summary>
public sealed class HelpedFrameJsonReaderTests
{
    private const int Rows = 8_000;

    [Theory]
    [InlineData("X,y")]
    [InlineData("y,X")]
    [InlineData("X,y=null")]
    [InlineData("X")]
    [InlineData("X with a column named y,y")]
    public void Helped_or_not_a_large_body_gives_the_frames_read_on_one_core(string layout)
    {
        var original = Body(layout, new Random(layout.Length));
        foreach (var when in new[] { "before", "never", "after" })
        {
            var body = original.ToArray();
            var spare = new CountingSpareCore();
            IThreadPoolWorkItem? held = null;
            Action<IThreadPoolWorkItem> queue = when switch
            {
                // Done before the caller starts X; then a digit of y changes, which only a caller that
                // decoded y itself would see.
                "before" => item =>
                {
                    RunOnAnotherThread(item);
                    ChangeFirstDigit(body, LastFrameAhead.GuessLastFrame(body));
                },
                _ => item => held = item, // not started when the caller reaches y
            };

            using (var helped = FrameJsonReader.ReadRequest(body, spare, queue))
            using (var plain = FrameJsonReader.ReadRequest(original.AsSpan()))
            {
                ClientShapeReaderTests.AssertSame(plain.X, helped.X);
                Assert.Equal(plain.Y is null, helped.Y is null);
                if (plain.Y is not null)
                {
                    ClientShapeReaderTests.AssertSame(plain.Y, helped.Y!);
                }
            }

            Assert.Equal(0, spare.Outstanding);
            if (when == "after" && held is not null)
            {
                RunOnAnotherThread(held); // a helper taken back does nothing when it runs at last
                Assert.Equal(0, spare.Outstanding);
            }
        }
    }

    [Fact]
    public void Only_a_large_body_with_a_large_y_frame_after_x_asks_for_a_core()
    {
        var spare = new CountingSpareCore();
        using (FrameJsonReader.ReadRequest(Body("X,y", new Random(1), rows: 100), spare, RunOnAnotherThread))
        {
        }

        using (FrameJsonReader.ReadRequest(Body("X", new Random(1)), spare, RunOnAnotherThread))
        {
        }

        using (FrameJsonReader.ReadRequest(Body("y,X", new Random(1)), spare, RunOnAnotherThread))
        {
        }

        Assert.Equal(0, spare.Taken);
        using (FrameJsonReader.ReadRequest(Body("X,y", new Random(1)), spare, RunOnAnotherThread))
        {
        }

        Assert.Equal(1, spare.Taken);
        Assert.Equal(0, spare.Outstanding);
    }

    [Fact]
    public void An_error_in_the_helped_frame_is_the_error_read_on_one_core()
    {
        var text = Encoding.UTF8.GetString(Body("X,y", new Random(3)));
        var last = text.LastIndexOf(": ", StringComparison.Ordinal);
        var body = Encoding.UTF8.GetBytes(text[..(last + 2)] + "\"x1\"" + text[text.IndexOf('}', last)..]);
        var plain = Assert.Throws<FrameFormatException>(() => FrameJsonReader.ReadRequest(body.AsSpan()));
        var spare = new CountingSpareCore();
        var helped = Assert.Throws<FrameFormatException>(() => FrameJsonReader.ReadRequest(body, spare, RunOnAnotherThread));
        Assert.Equal(plain.Message, helped.Message);
        Assert.Equal(1, spare.Taken);
        Assert.Equal(0, spare.Outstanding);
    }

    [Fact]
    public void A_helper_s_frame_is_taken_only_where_it_started_and_else_disposed()
    {
        var body = Body("X,y", new Random(5));
        var start = LastFrameAhead.GuessLastFrame(body);
        Assert.True(start > 0);
        Assert.Equal((byte)'{', body[start]);
        var decoded = new List<DataFrame>();
        (DataFrame?, int) Decode(ReadOnlyMemory<byte> bytes, int at)
        {
            Assert.Equal(start, at);
            var frame = SmallFrame();
            lock (decoded)
            {
                decoded.Add(frame);
            }

            return (frame, bytes.Length);
        }

        var spare = new CountingSpareCore();
        using (var ahead = LastFrameAhead.TryStart(body, spare, Decode, RunOnAnotherThread)!)
        {
            Assert.Equal(start, ahead.Start);
            Assert.False(ahead.TryTake(start - 1, out _, out _));
        }

        Assert.Throws<ObjectDisposedException>(() => _ = Assert.Single(decoded).Values.Length);
        using (var ahead = LastFrameAhead.TryStart(body, spare, Decode, RunOnAnotherThread)!)
        {
            Assert.True(ahead.TryTake(start, out var frame, out var end));
            Assert.Same(decoded[1], frame);
            Assert.Equal(body.Length, end);
        }

        Assert.Equal(1.5, decoded[1].Values[0]); // taken: the caller owns it now
        decoded[1].Dispose();
        Assert.Equal(0, spare.Outstanding);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_running_helper_is_waited_for_and_its_core_is_back_first(bool take)
    {
        var body = Body("X,y", new Random(6));
        using var started = new ManualResetEventSlim();
        var finished = 0;
        (DataFrame?, int) SlowDecode(ReadOnlyMemory<byte> bytes, int at)
        {
            started.Set();
            Thread.Sleep(300);
            Volatile.Write(ref finished, 1);
            return (SmallFrame(), bytes.Length);
        }

        var spare = new CountingSpareCore();
        var ahead = LastFrameAhead.TryStart(body, spare, SlowDecode, item =>
        {
            StartThread(item);
            Assert.True(started.Wait(TimeSpan.FromSeconds(60)), "the helper never started");
        })!;
        if (take)
        {
            Assert.True(ahead.TryTake(ahead.Start, out var frame, out _));
            Assert.Equal(1, Volatile.Read(ref finished));
            frame!.Dispose();
        }

        ahead.Dispose();
        Assert.Equal(1, Volatile.Read(ref finished));
        Assert.Equal(0, spare.Outstanding);
        Assert.True(spare.ReturnedElsewhere);
    }

    private static DataFrame SmallFrame() => FrameJsonReader.ReadRequest(Encoding.UTF8.GetBytes("{\"X\": {\"a\": {\"0\": 1.5}}}")).X;

    /// <summary>The first value's first digit after <paramref name="start"/>, one up (9 to 0).</summary>
    private static void ChangeFirstDigit(byte[] body, int start)
    {
        var at = start;
        while (true)
        {
            at += body.AsSpan(at).IndexOf("\": "u8) + 3;
            if (body[at] is >= (byte)'0' and <= (byte)'9')
            {
                body[at] = body[at] == '9' ? (byte)'0' : (byte)(body[at] + 1);
                return;
            }
        }
    }

    private static void RunOnAnotherThread(IThreadPoolWorkItem item) => StartThread(item).Join();

    private static Thread StartThread(IThreadPoolWorkItem item)
    {
        var thread = new Thread(item.Execute) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>
    /// A client body of <paramref name="rows"/> rows: X and y of four tags each, in the order of
    /// <paramref name="layout"/> ("X,y", "y,X", "X,y=null", "X", or X with a tag named y).
    /// </summary>
    private static byte[] Body(string layout, Random random, int rows = Rows)
    {
        var keys = Enumerable.Range(0, rows)
            .Select(r => new DateTime(2023, 3, 1).AddMinutes(10 * r).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00").ToArray();
        var text = new StringBuilder("{");
        void Frame(string name, string[] tags)
        {
            text.Append(text.Length > 1 ? ", " : "").Append('"').Append(name).Append("\": {");
            for (var t = 0; t < tags.Length; t++)
            {
                text.Append(t > 0 ? ", " : "").Append('"').Append(tags[t]).Append("\": {");
                for (var r = 0; r < rows; r++)
                {
                    var value = random.Next(20) == 0 ? "null" : (random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture);
                    text.Append(r > 0 ? ", " : "").Append('"').Append(keys[r]).Append("\": ").Append(value);
                }

                text.Append('}');
            }

            text.Append('}');
        }

        string[] tags = ["tag-1", "tag-2", "tag-3", "tag-4"];
        foreach (var part in layout.Split(','))
        {
            switch (part)
            {
                case "y=null":
                    text.Append(", \"y\": null");
                    break;
                case "X with a column named y":
                    Frame("X", ["tag-1", "y", "tag-3"]);
                    break;
                default:
                    Frame(part, tags);
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(text.Append('}').ToString());
    }

    /// <summary>Lends a core every time, counts what is outstanding, and notes a core given back by another thread (a helper that ran).</summary>
    private sealed class CountingSpareCore : ISpareCore
    {
        private readonly int _caller = Environment.CurrentManagedThreadId;
        private int _taken;
        private int _outstanding;
        private int _returnedElsewhere;

        public int Taken => Volatile.Read(ref _taken);

        public int Outstanding => Volatile.Read(ref _outstanding);

        public bool ReturnedElsewhere => Volatile.Read(ref _returnedElsewhere) == 1;

        public bool TryTake()
        {
            Interlocked.Increment(ref _taken);
            Interlocked.Increment(ref _outstanding);
            return true;
        }

        public void Return()
        {
            if (Environment.CurrentManagedThreadId != _caller)
            {
                Volatile.Write(ref _returnedElsewhere, 1);
            }

            Assert.True(Interlocked.Decrement(ref _outstanding) >= 0, "a core was given back twice");
        }
    }
}
