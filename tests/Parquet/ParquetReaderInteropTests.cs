using System.Text.Json.Nodes;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Parquet;

/// <summary>
/// Files written at test time by two independent Parquet writers (DuckDB and arrow-rs through
/// parquet-wasm), with pyarrow's pandas metadata, over every supported compression, page version,
/// dictionary setting and encoding, read by Gordo's reader: every cell must equal the generated value.
/// </summary>
public sealed class ParquetReaderInteropTests
{
    private const long Start2020 = 1_577_836_800_000_000_000; // 2020-01-01T00:00:00Z in ns
    private const long TenMinutesNs = 600_000_000_000;
    private static readonly string[] s_tags = ["tag-0", "tag-1", "tag-2", "tag-3"];

    [Fact]
    public async Task Every_writer_compression_page_version_and_dictionary_setting_reads_exactly()
    {
        var directory = Directory.CreateTempSubdirectory("gordo-parquet-matrix-").FullName;
        var specs = new List<(JsonObject Spec, int Rows)>();
        foreach (var rows in new[] { 1, 10, 1000 })
        {
            foreach (var compression in new[] { "uncompressed", "snappy", "gzip", "brotli", "lz4_raw" })
            {
                foreach (var version in new[] { 1, 2 })
                {
                    foreach (var dictionary in new[] { true, false })
                    {
                        specs.Add((Fixture(Path.Combine(directory, $"duckdb-{compression}-v{version}-d{dictionary}-{rows}.parquet"), "duckdb", rows, compression, version, dictionary), rows));
                        specs.Add((Fixture(Path.Combine(directory, $"arrow-{compression}-v{version}-d{dictionary}-{rows}.parquet"), "arrow", rows, compression, version, dictionary), rows));
                    }
                }
            }

            // arrow-rs with explicit value encodings (v2 pages): byte-stream-split floats, delta-packed integers.
            specs.Add((Fixture(Path.Combine(directory, $"arrow-bss-delta-{rows}.parquet"), "arrow", rows, "snappy", 2, dictionary: false, floatEncoding: "BYTE_STREAM_SPLIT", intEncoding: "DELTA_BINARY_PACKED"), rows));
        }

        // Several row groups and many small pages.
        var paged = Fixture(Path.Combine(directory, "arrow-paged.parquet"), "arrow", 5000, "snappy", 1, dictionary: true);
        paged["rowGroupSize"] = 700;
        paged["pageSize"] = 512;
        specs.Add((paged, 5000));
        var groups = Fixture(Path.Combine(directory, "duckdb-groups.parquet"), "duckdb", 10000, "gzip", 2, dictionary: true);
        groups["rowGroupSize"] = 2048;
        specs.Add((groups, 10000));

        await ParquetInterop.WriteAsync(specs.Select(s => s.Spec));
        var failures = new List<string>();
        foreach (var (spec, rows) in specs)
        {
            var path = (string)spec["path"]!;
            try
            {
                using var frame = FrameParquetReader.Read(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), "X");
                AssertGenerated(frame, rows);
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetFileName(path)}: {ex.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {specs.Count} files misread:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task A_hundred_thousand_rows_by_twenty_tags_read_exactly_from_both_writers()
    {
        var directory = Directory.CreateTempSubdirectory("gordo-parquet-large-").FullName;
        var tags = Enumerable.Range(0, 20).Select(i => $"tag-{i}").ToArray();
        var specs = new[]
        {
            Wide(Path.Combine(directory, "duckdb.parquet"), "duckdb", "snappy", 1),
            Wide(Path.Combine(directory, "arrow.parquet"), "arrow", "gzip", 2),
        };
        await ParquetInterop.WriteAsync(specs);
        foreach (var spec in specs)
        {
            using var frame = FrameParquetReader.Read(await File.ReadAllBytesAsync((string)spec["path"]!, TestContext.Current.CancellationToken), "X");
            Assert.Equal(tags, frame.ColumnNames);
            Assert.Equal(100_000, frame.RowCount);
            for (var row = 0; row < frame.RowCount; row++)
            {
                for (var c = 0; c < tags.Length; c++)
                {
                    var expected = ParquetInterop.Number(row, c, c % 3 == 0 ? 11 : 0) ?? double.NaN;
                    if (!expected.Equals(frame[row, c]))
                    {
                        Assert.Fail($"{spec["writer"]}: row {row} column {c}: {frame[row, c]} != {expected}");
                    }
                }

                Assert.Equal(new DateTime(2020, 1, 1).AddMinutes(10 * row), frame.Index.GetClock(row));
            }
        }

        JsonObject Wide(string path, string writer, string compression, int version) => new()
        {
            ["path"] = path,
            ["writer"] = writer,
            ["rows"] = 100_000,
            ["compression"] = compression,
            ["pageVersion"] = version,
            ["columns"] = new JsonArray([
                .. tags.Select((t, c) => (JsonNode)ParquetInterop.Column(t, "double", c, c % 3 == 0 ? 11 : 0)),
                ParquetInterop.Column("__index_level_0__", "timestamp_ns", start: Start2020, step: TenMinutesNs, tz: "UTC"),
            ]),
            ["kv"] = new JsonObject { ["pandas"] = PandasMetadata.ForFrame(tags, "datetimetz") },
        };
    }

    [Fact]
    public async Task Index_kinds_come_back_as_pandas_would_give_them_to_gordo()
    {
        var directory = Directory.CreateTempSubdirectory("gordo-parquet-index-").FullName;
        JsonObject Spec(string name, string writer, JsonObject? index, string pandasIndex)
        {
            var columns = new JsonArray([ParquetInterop.Column("tag-0", "double", 0, 0)]);
            if (index is not null)
            {
                columns.Add(index);
            }

            return new JsonObject
            {
                ["path"] = Path.Combine(directory, name),
                ["writer"] = writer,
                ["rows"] = 5,
                ["columns"] = columns,
                ["kv"] = new JsonObject { ["pandas"] = PandasMetadata.ForFrame(["tag-0"], pandasIndex, rows: 5) },
            };
        }

        var specs = new[]
        {
            Spec("ns-utc.parquet", "arrow", ParquetInterop.Column("__index_level_0__", "timestamp_ns", start: Start2020, step: TenMinutesNs, tz: "UTC"), "datetimetz"),
            Spec("us-naive.parquet", "duckdb", ParquetInterop.Column("__index_level_0__", "timestamp_us", start: Start2020 / 1000, step: TenMinutesNs / 1000), "datetime"),
            Spec("ms-utc.parquet", "arrow", ParquetInterop.Column("__index_level_0__", "timestamp_ms", start: Start2020 / 1_000_000, step: TenMinutesNs / 1_000_000, tz: "UTC"), "datetimetz"),
            Spec("us-tz.parquet", "duckdb", ParquetInterop.Column("__index_level_0__", "timestamp_us", start: Start2020 / 1000, step: TenMinutesNs / 1000, tz: "UTC"), "datetimetz"),
            Spec("int.parquet", "duckdb", ParquetInterop.Column("__index_level_0__", "int64", 3), "int64"),
            Spec("range.parquet", "arrow", null, "range"),
        };
        var text = Spec("text.parquet", "arrow", ParquetInterop.Column("__index_level_0__", "string"), "unicode");
        ((JsonObject)((JsonArray)text["columns"]!)[1]!)["values"] = new JsonArray("2020-01-01 00:00:00+00:00", "2020-01-01 00:10:00+00:00", "2020-01-01 00:20:00+00:00", "2020-01-01 00:30:00+00:00", "2020-01-01 00:40:00+00:00");
        await ParquetInterop.WriteAsync([.. specs, text]);

        FrameIndex Index(string name) => FrameParquetReader.Read(File.ReadAllBytes(Path.Combine(directory, name)), "X").Index;
        foreach (var (name, aware) in new[] { ("ns-utc.parquet", true), ("us-naive.parquet", false), ("ms-utc.parquet", true), ("us-tz.parquet", true), ("text.parquet", true) })
        {
            var index = Index(name);
            Assert.Equal(FrameIndexKind.Timestamp, index.Kind);
            Assert.Equal(aware, index.IsTimezoneAware);
            Assert.Equal(new DateTime(2020, 1, 1, 0, 40, 0), index.GetClock(4));
            if (aware)
            {
                Assert.Equal(TimeSpan.Zero, index.GetOffset(4));
            }
        }

        var integers = Index("int.parquet");
        Assert.Equal(FrameIndexKind.Integer, integers.Kind);
        Assert.Equal([.. Enumerable.Range(0, 5).Select(r => (long)ParquetInterop.Number(r, 3, 0, "int64")!.Value)], integers.Values.ToArray());
        var range = Index("range.parquet");
        Assert.Equal(FrameIndexKind.Range, range.Kind);
        Assert.Equal(5, range.Count);
    }

    /// <summary>What the library adds to the codecs Gordo's own reader had: ZSTD (DuckDB and arrow-rs) and
    /// LZ4 with Hadoop framing (arrow-rs), over both page versions, with and without dictionaries.</summary>
    [Fact]
    public async Task Zstd_and_hadoop_lz4_files_from_independent_writers_read_exactly()
    {
        var directory = Directory.CreateTempSubdirectory("gordo-parquet-codec-").FullName;
        var specs = new List<(JsonObject Spec, int Rows)>();
        foreach (var rows in new[] { 1, 1000 })
        {
            foreach (var version in new[] { 1, 2 })
            {
                foreach (var dictionary in new[] { true, false })
                {
                    specs.Add((Fixture(Path.Combine(directory, $"duckdb-zstd-v{version}-d{dictionary}-{rows}.parquet"), "duckdb", rows, "zstd", version, dictionary), rows));
                    specs.Add((Fixture(Path.Combine(directory, $"arrow-zstd-v{version}-d{dictionary}-{rows}.parquet"), "arrow", rows, "zstd", version, dictionary), rows));
                    specs.Add((Fixture(Path.Combine(directory, $"arrow-lz4-v{version}-d{dictionary}-{rows}.parquet"), "arrow", rows, "lz4", version, dictionary), rows));
                }
            }
        }

        await ParquetInterop.WriteAsync(specs.Select(s => s.Spec));
        foreach (var (spec, rows) in specs)
        {
            var path = (string)spec["path"]!;
            var compression = (string)spec["compression"]!;
            Assert.Contains(compression == "zstd" ? "ZSTD" : "LZ4HADOOP", Codecs(path));
            using var frame = FrameParquetReader.Read(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), "X");
            AssertGenerated(frame, rows);
        }

        // The codec each column chunk really uses, as the file's footer says.
        static HashSet<string> Codecs(string path)
        {
            using var reader = new ParquetSharp.ParquetFileReader(path);
            using var group = reader.RowGroup(0);
            return [.. Enumerable.Range(0, group.MetaData.NumColumns).Select(c => group.MetaData.GetColumnChunkMetaData(c).Compression.ToString().ToUpperInvariant())];
        }
    }

    /// <summary>Four tags of four types (double with nulls, float, int32 with nulls, int64) over a UTC nanosecond index.</summary>
    private static JsonObject Fixture(string path, string writer, int rows, string compression, int version, bool dictionary, string? floatEncoding = null, string? intEncoding = null) => new()
    {
        ["path"] = path,
        ["writer"] = writer,
        ["rows"] = rows,
        ["compression"] = compression,
        ["pageVersion"] = version,
        ["dictionary"] = dictionary,
        ["columns"] = new JsonArray(
            ParquetInterop.Column("tag-0", "double", 0, 7, encoding: floatEncoding),
            ParquetInterop.Column("tag-1", "float", 1, 0, encoding: floatEncoding),
            ParquetInterop.Column("tag-2", "int32", 2, 5, encoding: intEncoding),
            ParquetInterop.Column("tag-3", "int64", 3, 0, encoding: intEncoding),
            ParquetInterop.Column("__index_level_0__", "timestamp_ns", start: Start2020, step: TenMinutesNs, tz: "UTC", encoding: intEncoding)),
        ["kv"] = new JsonObject { ["pandas"] = PandasMetadata.ForFrame(s_tags, "datetimetz") },
    };

    private static void AssertGenerated(DataFrame frame, int rows)
    {
        Assert.Equal(s_tags, frame.ColumnNames);
        Assert.Equal(rows, frame.RowCount);
        Assert.Equal(FrameIndexKind.Timestamp, frame.Index.Kind);
        Assert.True(frame.Index.IsTimezoneAware);
        var types = new[] { "double", "float", "int32", "int64" };
        var nullEvery = new[] { 7, 0, 5, 0 };
        for (var row = 0; row < rows; row++)
        {
            Assert.Equal(new DateTime(2020, 1, 1).AddMinutes(10 * row), frame.Index.GetClock(row));
            for (var c = 0; c < 4; c++)
            {
                var expected = ParquetInterop.Number(row, c, nullEvery[c], types[c]) ?? double.NaN;
                if (!expected.Equals(frame[row, c]))
                {
                    Assert.Fail($"row {row} column {c}: {frame[row, c]} != {expected}");
                }
            }
        }
    }
}
