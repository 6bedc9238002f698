using System.Buffers;
using System.Text;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Frames;

namespace Gordo.Tests.Frames;

/// <summary>
/// The response encoder on its own: the exact bytes gordo's <c>jsonify</c> gives for a small frame
/// (sorted groups and sub-columns, keys as <c>str(Timestamp)</c>, numbers as Python's repr, NaN and
/// infinities as null), escaping of names, and a large frame read back cell by cell through an output
/// that hands out small spans.
/// </summary>
public sealed class FrameJsonWriterTests
{
    [Fact]
    public void A_small_anomaly_frame_is_written_as_gordo_writes_it()
    {
        using var frame = Frame(rows: 2, aware: true, resolution: TimeSpan.FromMinutes(10),
            ("model-input", ["b", "a"], [[2.5, double.NaN], [1.0, -0.0]]),
            ("total-anomaly-scaled", [""], [[1e-05, double.PositiveInfinity]]));
        var json = Write(frame, "0.0012", "1700000000000");
        const string k0 = "\"2020-03-01 00:00:00+01:00\"";
        const string k1 = "\"2020-03-01 00:10:00+01:00\"";
        Assert.Equal(
            "{\"data\":{" +
            $"\"end\":{{\"end\":{{{k0}:\"2020-03-01T00:10:00+01:00\",{k1}:\"2020-03-01T00:20:00+01:00\"}}}}," +
            $"\"model-input\":{{\"a\":{{{k0}:1.0,{k1}:-0.0}},\"b\":{{{k0}:2.5,{k1}:null}}}}," +
            $"\"start\":{{\"start\":{{{k0}:\"2020-03-01T00:00:00+01:00\",{k1}:\"2020-03-01T00:10:00+01:00\"}}}}," +
            $"\"total-anomaly-scaled\":{{\"total-anomaly-scaled\":{{{k0}:1e-05,{k1}:null}}}}" +
            "},\"time-seconds\":\"0.0012\",\"revision\":\"1700000000000\"}",
            json);
    }

    [Fact]
    public void Without_a_resolution_end_is_null_and_integer_keys_are_plain()
    {
        using var frame = new ResultFrame(FrameIndex.Range(2, start: 7), resolution: null, [Group("model-output", ["x"], [[3.0, 4.25]])]);
        Assert.Equal(
            "{\"data\":{\"end\":{\"end\":{\"7\":null,\"8\":null}},\"model-output\":{\"x\":{\"7\":3.0,\"8\":4.25}},\"start\":{\"start\":{\"7\":null,\"8\":null}}},\"revision\":\"r\"}",
            Write(frame, timeSeconds: null, "r"));
    }

    [Fact]
    public void Names_are_escaped_as_json_requires_and_no_more()
    {
        using var frame = new ResultFrame(FrameIndex.Range(1), resolution: null,
            [Group("model-input", ["quote\"back\\slash", "tab\there", "æøå 温度 +<'>"], [[1.0], [2.0], [3.0]])]);
        var json = Write(frame, null, "rev\"1");
        Assert.Contains("\"quote\\\"back\\\\slash\":{\"0\":1.0}", json, StringComparison.Ordinal);
        Assert.Contains("\"tab\\there\":{\"0\":2.0}", json, StringComparison.Ordinal);
        Assert.Contains("\"æøå 温度 +<'>\":{\"0\":3.0}", json, StringComparison.Ordinal);
        Assert.EndsWith(",\"revision\":\"rev\\\"1\"}", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(2.0, document.RootElement.GetProperty("data").GetProperty("model-input").GetProperty("tab\there").GetProperty("0").GetDouble());
    }

    [Fact]
    public void A_large_frame_reads_back_cell_for_cell_through_small_output_spans()
    {
        const int rows = 5000;
        var random = new Random(11);
        var columns = Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, rows).Select(_ => random.NextDouble() < 0.01 ? double.NaN : (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 9))).ToArray()).ToArray();
        using var frame = Frame(rows, aware: false, TimeSpan.FromMinutes(1), ("tag-anomaly-unscaled", [.. Enumerable.Range(0, 12).Select(i => $"tag-{i:D2}")], columns));
        var output = new SmallSpanWriter();
        FrameJsonWriter.WriteResponse(output, frame, "1.0000", "1");
        using var document = JsonDocument.Parse(output.Written);
        var group = document.RootElement.GetProperty("data").GetProperty("tag-anomaly-unscaled");
        for (var c = 0; c < 12; c++)
        {
            var cells = group.GetProperty($"tag-{c:D2}").EnumerateObject().ToArray();
            Assert.Equal(rows, cells.Length);
            for (var r = 0; r < rows; r++)
            {
                Assert.Equal(IsoTimestamp.FormatKey(frame.Index.GetClock(r), null), cells[r].Name);
                if (double.IsNaN(columns[c][r]))
                {
                    Assert.Equal(JsonValueKind.Null, cells[r].Value.ValueKind);
                }
                else
                {
                    Assert.Equal(columns[c][r], cells[r].Value.GetDouble());
                }
            }
        }
    }

    private static string Write(ResultFrame frame, string? timeSeconds, string revision)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameJsonWriter.WriteResponse(output, frame, timeSeconds, revision);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static ResultFrame Frame(int rows, bool aware, TimeSpan resolution, params (string Name, string[] SubNames, double[][] Columns)[] groups)
    {
        var ticks = PooledArrays.Rent<long>(rows);
        var offsets = aware ? PooledArrays.Rent<short>(rows) : null;
        for (var r = 0; r < rows; r++)
        {
            ticks[r] = new DateTime(2020, 3, 1).AddMinutes(10 * r).Ticks;
            if (offsets is not null)
            {
                offsets[r] = 60;
            }
        }

        return new ResultFrame(FrameIndex.Timestamps(ticks, offsets, rows), resolution, [.. groups.Select(g => Group(g.Name, g.SubNames, g.Columns))]);
    }

    private static ResultColumnGroup Group(string name, string[] subNames, double[][] columns)
    {
        var group = ResultColumnGroup.Create(name, subNames, columns[0].Length);
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c].CopyTo(group.Column(c));
        }

        return group;
    }

    /// <summary>An output that hands out exactly the span asked for, so every chunk boundary is exercised.</summary>
    private sealed class SmallSpanWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public byte[] Written => [.. _written];

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(sizeHint, 1)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
