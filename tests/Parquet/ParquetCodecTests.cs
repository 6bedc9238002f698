using System.Buffers.Binary;
using Gordo.Frames;
using Gordo.Frames.Parquet;
using Gordo.Tests.Infrastructure;
using ParquetSharp;

namespace Gordo.Tests.Parquet;

/// <summary>Gordo's Parquet request reading on its own (ParquetSharp underneath): round trips with nulls,
/// legacy INT96 timestamps, plain tables, and the 400s for what it refuses.</summary>
public sealed class ParquetCodecTests
{
    [Fact]
    public void Doubles_integers_and_strings_round_trip_with_nulls()
    {
        var doubles = Enumerable.Range(0, 1000).Select(r => r % 9 == 4 ? (double?)null : (r * 0.25) - 3).ToArray();
        var integers = Enumerable.Range(0, 1000).Select(r => (long?)((r * 1_000_000_007L) - 5)).ToArray();
        var strings = Enumerable.Range(0, 1000).Select(r => r % 9 == 4 ? null : $"é{r}").ToArray();
        var file = ParquetFiles.Write([new DoubleColumn("d", doubles), new Int64Column("i", integers), new StringColumn("s", strings)], null);
        using var reader = ParquetTable.Open(file);
        Assert.Equal(1000, reader.RowCount);
        Assert.Null(reader.KeyValue("pandas"));
        var d = new double[1000];
        reader.ReadDoubles(0, d);
        var i = new long[1000];
        var nulls = new bool[1000];
        reader.ReadInt64s(1, i, nulls);
        var s = reader.ReadStrings(2);
        for (var r = 0; r < 1000; r++)
        {
            Assert.Equal(doubles[r] ?? double.NaN, d[r]);
            Assert.Equal(integers[r], i[r]);
            Assert.False(nulls[r]);
            Assert.Equal(strings[r], s[r]);
        }
    }

    [Fact]
    public void Legacy_int96_timestamps_are_a_naive_index()
    {
        var stamps = new Int96[3];
        for (var r = 0; r < 3; r++)
        {
            var instant = new DateTime(2021, 6, 1, 12, 0, 0).AddMinutes(r * 10).AddTicks(5);
            var day = (int)(instant.Date - DateTime.UnixEpoch).TotalDays + 2_440_588;
            var nanos = (instant - instant.Date).Ticks * 100;
            stamps[r] = new Int96((int)(nanos & 0xFFFFFFFF), (int)(nanos >> 32), day);
        }

        var file = ParquetFiles.Write([new DoubleColumn("tag-0", [0, 1, 2]), new Int96Column("__index_level_0__", stamps)], PandasMetadata.ForFrame(["tag-0"], "datetime"));
        using var frame = FrameParquetReader.Read(file, "X");
        Assert.Equal(FrameIndexKind.Timestamp, frame.Index.Kind);
        Assert.False(frame.Index.IsTimezoneAware);
        Assert.Equal(new DateTime(2021, 6, 1, 12, 20, 0).AddTicks(5), frame.Index.GetClock(2));
    }

    [Fact]
    public void Without_pandas_metadata_a_file_is_a_plain_table_and_integer_labels_are_positional()
    {
        using (var plain = FrameParquetReader.Read(ParquetFiles.Write([new DoubleColumn("a", [1]), new DoubleColumn("b", [2])], null), "X"))
        {
            Assert.Equal(["a", "b"], plain.ColumnNames);
            Assert.Equal(FrameIndexKind.Range, plain.Index.Kind);
            Assert.False(plain.HasPositionalColumns);
        }

        var metadata = PandasMetadata.ForFrame(["0"], "range", rows: 1).Replace("\"pandas_type\":\"unicode\"", "\"pandas_type\":\"int64\"", StringComparison.Ordinal);
        using var positional = FrameParquetReader.Read(ParquetFiles.Write([new DoubleColumn("0", [3])], metadata), "X");
        Assert.True(positional.HasPositionalColumns);
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "not-parquet", "Not a Parquet file" },
        { "truncated", "truncated" },
        { "footer-length", "footer length" },
        { "multi-level", "Server does not support multi-level dataframes at this time: [('a', 'b')]" },
        { "strings", "holds strings, not numbers" },
        { "missing-index", "names index column '__index_level_0__', which the file does not have" },
        { "null-index", "index column '__index_level_0__' has missing values" },
        { "bad-pandas", "pandas metadata is not valid JSON" },
        { "garbled-footer", "the file is corrupt" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_gordo_cannot_read_is_a_400_that_says_why(string case_, string message)
    {
        TestColumn tag = new DoubleColumn("('a', 'b')", [1]);
        byte[] file = case_ switch
        {
            "not-parquet" => "{\"X\": 1}"u8.ToArray(),
            "truncated" => ParquetFiles.Write([tag], null)[..^3],
            "footer-length" => WithFooterLength(ParquetFiles.Write([tag], null), int.MaxValue),
            "multi-level" => ParquetFiles.Write([tag], PandasMetadata.ForFrame(["('a', 'b')"], "range", 1, multiLevel: true)),
            "strings" => ParquetFiles.Write([new StringColumn("name", ["pump"])], null),
            "missing-index" => ParquetFiles.Write([tag], PandasMetadata.ForFrame(["('a', 'b')"], "datetimetz")),
            "null-index" => ParquetFiles.Write([tag, new Int64Column("__index_level_0__", [null])], PandasMetadata.ForFrame(["('a', 'b')"], "int64")),
            "bad-pandas" => ParquetFiles.Write([tag], "{not json"),
            "garbled-footer" => Garble(ParquetFiles.Write([tag], null)),
            _ => throw new ArgumentOutOfRangeException(nameof(case_), case_, "no such case"),
        };
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<FrameFormatException>(() => FrameParquetReader.Read(file, "X"));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"Refusing {case_} allocated {allocated} bytes.");
    }

    [Fact]
    public void A_frame_larger_than_the_cell_limit_is_refused_before_it_is_allocated()
    {
        // Two all-null columns of 2^23 + 1 rows: a few KB of Parquet, more cells than a frame may hold.
        var file = ParquetFiles.WriteNulls(["a", "b"], (1 << 23) + 1);
        Assert.True(file.Length < 1 << 20);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<FrameFormatException>(() => FrameParquetReader.Read(file, "X"));
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Contains("cells", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"Refusing allocated {allocated} bytes.");
    }

    private static byte[] WithFooterLength(byte[] file, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(file.Length - 8), length);
        return file;
    }

    /// <summary>The footer's bytes overwritten with noise (its length and the magic kept).</summary>
    private static byte[] Garble(byte[] file)
    {
        var footer = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(file.Length - 8));
        new Random(5).NextBytes(file.AsSpan(file.Length - 8 - footer, footer));
        return file;
    }
}
