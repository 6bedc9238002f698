using System.Buffers;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Frames.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Parquet;

/// <summary>
/// Response frames written by Gordo's Parquet writer, read by three independent implementations
/// (DuckDB, arrow-rs through parquet-wasm, hyparquet): every reader must see the same column names in
/// pandas order, the same pandas metadata, and exactly the values of the frame.
/// </summary>
public sealed class ParquetWriterInteropTests
{
    public static TheoryData<int, FrameIndexKind, bool, int> Shapes => new()
    {
        { 1, FrameIndexKind.Timestamp, true, 3 },
        { 10, FrameIndexKind.Timestamp, true, 3 },
        { 10, FrameIndexKind.Timestamp, false, 3 },
        { 10, FrameIndexKind.Integer, false, 3 },
        { 10, FrameIndexKind.Range, false, 3 },
        { 0, FrameIndexKind.Timestamp, true, 2 },
        { 100_000, FrameIndexKind.Timestamp, true, 20 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Every_reader_sees_exactly_the_frame(int rows, FrameIndexKind kind, bool aware, int tags)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("gordo-parquet-out-").FullName, "response.parquet");
        using var frame = Frame(rows, kind, aware, tags);
        var output = new ArrayBufferWriter<byte>();
        FrameParquetWriter.Write(output, frame);
        await File.WriteAllBytesAsync(path, output.WrittenMemory, TestContext.Current.CancellationToken);

        var expected = ExpectedColumns(frame);
        var read = (await ParquetInterop.ReadAsync([path])).GetProperty(path);
        foreach (var reader in new[] { "duckdb", "arrow-rs", "hyparquet" })
        {
            var result = read.GetProperty(reader);
            Assert.False(result.TryGetProperty("error", out var error), $"{reader}: {error}");
            var columns = result.GetProperty("columns").EnumerateObject().ToList();
            Assert.Equal(expected.Select(e => e.Name), columns.Select(c => c.Name));
            foreach (var (name, digest) in expected)
            {
                var column = columns.Single(c => c.Name == name).Value;
                Assert.True(digest.Hash == column.GetProperty("hash").GetString(),
                    $"{reader} read column {name} differently: {column.GetProperty("count")} values, {column.GetProperty("nulls")} nulls; expected {digest.Count} and {digest.Nulls}.");
            }

            var pandas = JsonDocument.Parse(result.GetProperty("kv").GetProperty("pandas").GetString()!).RootElement;
            Assert.Equal(2, pandas.GetProperty("column_indexes").GetArrayLength());
            var indexColumns = pandas.GetProperty("index_columns");
            if (kind == FrameIndexKind.Range)
            {
                Assert.Equal("range", indexColumns[0].GetProperty("kind").GetString());
                Assert.Equal(rows, indexColumns[0].GetProperty("stop").GetInt64() - indexColumns[0].GetProperty("start").GetInt64());
            }
            else
            {
                Assert.Equal("__index_level_0__", indexColumns[0].GetString());
                var indexEntry = pandas.GetProperty("columns").EnumerateArray().Last();
                Assert.Equal(kind == FrameIndexKind.Integer ? "int64" : aware ? "datetimetz" : "datetime", indexEntry.GetProperty("pandas_type").GetString());
            }

            Assert.Equal(expected.Where(e => e.Name != "__index_level_0__").Select(e => e.Name),
                pandas.GetProperty("columns").EnumerateArray().Where(c => c.GetProperty("name").ValueKind == JsonValueKind.String).Select(c => c.GetProperty("name").GetString()));
        }
    }

    /// <summary>A response-shaped frame: model-input and model-output with one column per tag, a scaled group
    /// with NaN holes and an infinity, and a single unnamed column.</summary>
    internal static ResultFrame Frame(int rows, FrameIndexKind kind, bool aware, int tags)
    {
        FrameIndex index;
        switch (kind)
        {
            case FrameIndexKind.Timestamp:
                {
                    var ticks = ArrayPool<long>.Shared.Rent(Math.Max(1, rows));
                    short[]? offsets = aware ? ArrayPool<short>.Shared.Rent(Math.Max(1, rows)) : null;
                    for (var r = 0; r < rows; r++)
                    {
                        ticks[r] = new DateTime(2020, 3, 1).AddMinutes(10 * r).Ticks;
                        if (offsets is not null)
                        {
                            offsets[r] = 0;
                        }
                    }

                    index = FrameIndex.Timestamps(ticks, offsets, rows);
                    break;
                }

            case FrameIndexKind.Integer:
                {
                    var labels = ArrayPool<long>.Shared.Rent(Math.Max(1, rows));
                    for (var r = 0; r < rows; r++)
                    {
                        labels[r] = (r * 3) - 7;
                    }

                    index = FrameIndex.Integers(labels, rows);
                    break;
                }

            default:
                index = FrameIndex.Range(rows, 5);
                break;
        }

        var names = Enumerable.Range(0, tags).Select(t => $"tag-{t}").ToArray();
        var groups = new List<ResultColumnGroup>
        {
            Group("model-input", names, rows, 0, 0),
            Group("model-output", names, rows, 100, 0),
            Group("tag-anomaly-scaled", names, rows, 200, 13),
            Group("total-anomaly-scaled", [string.Empty], rows, 300, 0),
        };
        if (rows > 2)
        {
            groups[2].Column(0)[1] = double.PositiveInfinity;
        }

        return new ResultFrame(index, kind == FrameIndexKind.Timestamp ? TimeSpan.FromMinutes(10) : null, groups);
    }

    private static ResultColumnGroup Group(string name, string[] subs, int rows, int seed, int nullEvery)
    {
        var group = ResultColumnGroup.Create(name, subs, rows);
        for (var s = 0; s < subs.Length; s++)
        {
            var column = group.Column(s);
            for (var r = 0; r < rows; r++)
            {
                column[r] = ParquetInterop.Number(r, seed + s, nullEvery) ?? double.NaN;
            }
        }

        return group;
    }

    /// <summary>What each reader must report: start and end (ISO strings or nulls), every value column, the index.</summary>
    private static List<(string Name, ParquetInterop.Digest Digest)> ExpectedColumns(ResultFrame frame)
    {
        var columns = new List<(string, ParquetInterop.Digest)>();
        var start = new ParquetInterop.Digest();
        var end = new ParquetInterop.Digest();
        for (var r = 0; r < frame.RowCount; r++)
        {
            if (frame.Index.Kind == FrameIndexKind.Timestamp)
            {
                var offset = frame.Index.IsTimezoneAware ? (int?)0 : null;
                start.AddText(IsoTimestamp.FormatIso(frame.Index.GetClock(r), offset));
                end.AddText(IsoTimestamp.FormatIso(frame.Index.GetClock(r) + frame.Resolution!.Value, offset));
            }
            else
            {
                start.AddNull();
                end.AddNull();
            }
        }

        columns.Add((PythonRepr.Tuple("start", string.Empty), start));
        columns.Add((PythonRepr.Tuple("end", string.Empty), end));
        foreach (var group in frame.Groups)
        {
            for (var s = 0; s < group.SubNames.Length; s++)
            {
                var digest = new ParquetInterop.Digest();
                foreach (var value in group.Column(s))
                {
                    if (double.IsNaN(value))
                    {
                        digest.AddNull();
                    }
                    else
                    {
                        digest.AddNumber(value);
                    }
                }

                columns.Add((PythonRepr.Tuple(group.Name, group.SubNames[s]), digest));
            }
        }

        if (frame.Index.Kind != FrameIndexKind.Range)
        {
            var index = new ParquetInterop.Digest();
            for (var r = 0; r < frame.RowCount; r++)
            {
                if (frame.Index.Kind == FrameIndexKind.Timestamp)
                {
                    index.AddTime((frame.Index.GetClock(r).Ticks - DateTime.UnixEpoch.Ticks) * 100);
                }
                else
                {
                    index.AddNumber(frame.Index.GetInteger(r));
                }
            }

            columns.Add(("__index_level_0__", index));
        }

        return columns;
    }
}
