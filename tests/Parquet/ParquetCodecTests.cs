using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Frames.Parquet;
using Gordo.Tests.Infrastructure;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Tests.Parquet;

/// <summary>Gordo's Parquet codec on its own: the level encoding, round trips, legacy timestamps, and the 400s for what it refuses.</summary>
public sealed class ParquetCodecTests
{
    [Fact]
    public void The_rle_bit_packed_hybrid_decodes_the_specifications_example_and_round_trips()
    {
        // parquet-format's Encodings.md: 0..7 bit-packed with width 3 is 10001000 11000110 11111010.
        Span<int> decoded = stackalloc int[8];
        RleBitPackedHybrid.Decode([0x03, 0x88, 0xC6, 0xFA], 3, decoded);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], decoded.ToArray());

        var random = new Random(7);
        for (var trial = 0; trial < 300; trial++)
        {
            var width = random.Next(1, 21);
            var values = new int[random.Next(0, 400)];
            for (var i = 0; i < values.Length; i++)
            {
                // Long runs and noise, so both run kinds appear.
                values[i] = random.Next(3) == 0 && i > 0 ? values[i - 1] : random.Next(1 << width);
            }

            var encoded = new List<byte>();
            RleBitPackedHybrid.Encode(values, width, encoded);
            var back = new int[values.Length];
            var consumed = RleBitPackedHybrid.Decode(encoded.ToArray(), width, back);
            Assert.Equal(values, back);
            Assert.Equal(encoded.Count, consumed);
        }
    }

    [Fact]
    public void Doubles_integers_and_strings_round_trip_with_nulls()
    {
        var doubles = new ParquetColumnWriter("d", PhysicalType.Double);
        var integers = new ParquetColumnWriter("i", PhysicalType.Int64, optional: false);
        var strings = new ParquetColumnWriter("s", PhysicalType.ByteArray) { Logical = LogicalKind.String, ConvertedType = 0 };
        for (var r = 0; r < 1000; r++)
        {
            if (r % 9 == 4)
            {
                doubles.AddNull();
                strings.AddNull();
            }
            else
            {
                doubles.AddDouble((r * 0.25) - 3);
                strings.AddString(Encoding.UTF8.GetBytes($"é{r}"));
            }

            integers.AddInt64((r * 1_000_000_007L) - 5);
        }

        var output = new ArrayBufferWriter<byte>();
        ParquetFileWriter.Write(output, [doubles, integers, strings], [new("k", "v")], "test");
        using var reader = ParquetTable.Open(output.WrittenMemory);
        Assert.Equal(1000, reader.RowCount);
        Assert.Equal("v", reader.KeyValue("k"));
        var d = new double[1000];
        reader.ReadDoubles(0, d);
        var i = new long[1000];
        var nulls = new bool[1000];
        reader.ReadInt64s(1, i, nulls);
        var s = reader.ReadStrings(2);
        for (var r = 0; r < 1000; r++)
        {
            Assert.Equal(r % 9 == 4 ? double.NaN : (r * 0.25) - 3, d[r]);
            Assert.Equal((r * 1_000_000_007L) - 5, i[r]);
            Assert.False(nulls[r]);
            Assert.Equal(r % 9 == 4 ? null : $"é{r}", s[r]);
        }
    }

    [Fact]
    public void Legacy_int96_timestamps_are_a_naive_index()
    {
        var index = new ParquetColumnWriter("__index_level_0__", PhysicalType.Int96);
        var tag = new ParquetColumnWriter("tag-0", PhysicalType.Double);
        Span<byte> int96 = stackalloc byte[12];
        for (var r = 0; r < 3; r++)
        {
            var instant = new DateTime(2021, 6, 1, 12, 0, 0).AddMinutes(r * 10).AddTicks(5);
            var day = (int)(instant.Date - DateTime.UnixEpoch).TotalDays + 2_440_588;
            BinaryPrimitives.WriteInt64LittleEndian(int96, (instant - instant.Date).Ticks * 100);
            BinaryPrimitives.WriteInt32LittleEndian(int96[8..], day);
            index.AddPlain(int96);
            tag.AddDouble(r);
        }

        using var frame = FrameParquetReader.Read(Write([tag, index], PandasMetadata.ForFrame(["tag-0"], "datetime")), "X");
        Assert.Equal(FrameIndexKind.Timestamp, frame.Index.Kind);
        Assert.False(frame.Index.IsTimezoneAware);
        Assert.Equal(new DateTime(2021, 6, 1, 12, 20, 0).AddTicks(5), frame.Index.GetClock(2));
    }

    [Fact]
    public void Without_pandas_metadata_a_file_is_a_plain_table_and_integer_labels_are_positional()
    {
        var a = new ParquetColumnWriter("a", PhysicalType.Double);
        var b = new ParquetColumnWriter("b", PhysicalType.Double);
        a.AddDouble(1);
        b.AddDouble(2);
        using (var plain = FrameParquetReader.Read(Write([a, b], null), "X"))
        {
            Assert.Equal(["a", "b"], plain.ColumnNames);
            Assert.Equal(FrameIndexKind.Range, plain.Index.Kind);
            Assert.False(plain.HasPositionalColumns);
        }

        var zero = new ParquetColumnWriter("0", PhysicalType.Double);
        zero.AddDouble(3);
        var metadata = PandasMetadata.ForFrame(["0"], "range", rows: 1).Replace("\"pandas_type\":\"unicode\"", "\"pandas_type\":\"int64\"", StringComparison.Ordinal);
        using var positional = FrameParquetReader.Read(Write([zero], metadata), "X");
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
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void What_gordo_cannot_read_is_a_400_that_says_why(string case_, string message)
    {
        var tag = new ParquetColumnWriter("('a', 'b')", PhysicalType.Double);
        tag.AddDouble(1);
        byte[] file = case_ switch
        {
            "not-parquet" => "{\"X\": 1}"u8.ToArray(),
            "truncated" => Write([tag], null)[..^3],
            "footer-length" => WithFooterLength(Write([tag], null), int.MaxValue),
            "multi-level" => Write([tag], PandasMetadata.ForFrame(["('a', 'b')"], "range", 1, multiLevel: true)),
            "strings" => Write([Strings()], null),
            "missing-index" => Write([tag], PandasMetadata.ForFrame(["('a', 'b')"], "datetimetz")),
            "null-index" => Write([tag, NullIndex()], PandasMetadata.ForFrame(["('a', 'b')"], "int64")),
            "bad-pandas" => Write([tag], "{not json"),
            "oversized-page" => SinglePageFile(1 << 20, new byte[16], Codec.Uncompressed),
            _ => throw new ArgumentOutOfRangeException(nameof(case_), case_, "no such case"),
        };
        var error = Assert.Throws<FrameFormatException>(() => FrameParquetReader.Read(file, "X"));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);

        static ParquetColumnWriter Strings()
        {
            var column = new ParquetColumnWriter("name", PhysicalType.ByteArray) { Logical = LogicalKind.String, ConvertedType = 0 };
            column.AddString("pump"u8);
            return column;
        }

        static ParquetColumnWriter NullIndex()
        {
            var column = new ParquetColumnWriter("__index_level_0__", PhysicalType.Int64);
            column.AddNull();
            return column;
        }
    }

    /// <summary>Uncompressed pages that declare more bytes than they carry: the reader takes what is there
    /// (one value) or refuses the file, and never allocates what the header claims.</summary>
    [Theory]
    [InlineData(1 << 20)]
    [InlineData(1 << 30)]
    public void A_page_that_declares_more_than_it_holds_is_read_within_bounds(int declared)
    {
        var file = SinglePageFile(declared, new byte[16], Codec.Uncompressed);
        var before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using var frame = FrameParquetReader.Read(file, "X");
            Assert.Equal(1, frame.RowCount);
        }
        catch (FrameFormatException error)
        {
            Assert.Equal(400, error.StatusCode);
        }

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Fact]
    public void A_frame_larger_than_the_cell_limit_is_refused_before_it_is_allocated()
    {
        // One row group that claims 2^40 rows: the footer alone says so, no page is read.
        var file = SinglePageFile(8, new byte[8], Codec.Uncompressed, rows: 1L << 40);
        var error = Assert.Throws<FrameFormatException>(() => FrameParquetReader.Read(file, "X"));
        Assert.Contains("cells", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] Write(IReadOnlyList<ParquetColumnWriter> columns, string? pandas)
    {
        var output = new ArrayBufferWriter<byte>();
        ParquetFileWriter.Write(output, columns, pandas is null ? [] : [new("pandas", pandas)], "test");
        return output.WrittenSpan.ToArray();
    }

    private static byte[] WithFooterLength(byte[] file, int length)
    {
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(file.Length - 8), length);
        return file;
    }

    /// <summary>A one-column file whose only page declares 2^30 uncompressed bytes.</summary>

    /// <summary>A file of one required DOUBLE column and one data page, with the page sizes and codec given.</summary>
    internal static byte[] SinglePageFile(int uncompressedSize, byte[] payload, Codec codec, long rows = 1)
    {
        var header = new ThriftCompactWriter();
        header.BeginStruct();
        header.FieldI32(1, (int)PageType.DataPage);
        header.FieldI32(2, uncompressedSize);
        header.FieldI32(3, payload.Length);
        header.FieldStruct(5);
        header.FieldI32(1, 1);
        header.FieldI32(2, (int)PageEncoding.Plain);
        header.FieldI32(3, (int)PageEncoding.Rle);
        header.FieldI32(4, (int)PageEncoding.Rle);
        header.EndStruct();
        header.EndStruct();
        var chunkSize = header.Length + payload.Length;

        var footer = new ThriftCompactWriter();
        footer.BeginStruct();
        footer.FieldI32(1, 2);
        footer.FieldList(2, ThriftCompactReader.Struct, 2);
        footer.BeginStruct();
        footer.FieldString(4, "schema");
        footer.FieldI32(5, 1);
        footer.EndStruct();
        footer.BeginStruct();
        footer.FieldI32(1, (int)PhysicalType.Double);
        footer.FieldI32(3, (int)Repetition.Required);
        footer.FieldString(4, "t");
        footer.EndStruct();
        footer.FieldI64(3, rows);
        footer.FieldList(4, ThriftCompactReader.Struct, 1);
        footer.BeginStruct();
        footer.FieldList(1, ThriftCompactReader.Struct, 1);
        footer.BeginStruct();
        footer.FieldI64(2, 4);
        footer.FieldStruct(3);
        footer.FieldI32(1, (int)PhysicalType.Double);
        footer.FieldList(2, ThriftCompactReader.I32, 1);
        footer.ElementI32(0);
        footer.FieldList(3, ThriftCompactReader.Binary, 1);
        footer.ElementString("t");
        footer.FieldI32(4, (int)codec);
        footer.FieldI64(5, rows);
        footer.FieldI64(6, uncompressedSize);
        footer.FieldI64(7, chunkSize);
        footer.FieldI64(9, 4);
        footer.EndStruct();
        footer.EndStruct();
        footer.FieldI64(2, uncompressedSize);
        footer.FieldI64(3, rows);
        footer.EndStruct();
        footer.EndStruct();

        var file = new List<byte>("PAR1"u8.ToArray());
        file.AddRange(header.Written.ToArray());
        file.AddRange(payload);
        file.AddRange(footer.Written.ToArray());
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        file.AddRange(length);
        file.AddRange("PAR1"u8.ToArray());
        return [.. file];
    }

    [Fact]
    public void A_compressed_page_that_claims_another_size_is_refused_before_decoding()
    {
        // A snappy block whose preamble says 1 GiB, inside a page that declares 8 bytes.
        var bomb = new byte[] { 0x80, 0x80, 0x80, 0x80, 0x04, 0x00 };
        var error = Assert.Throws<FrameFormatException>(() => FrameParquetReader.Read(SinglePageFile(8, bomb, Codec.Snappy), "X"));
        Assert.Contains("the file is corrupt", error.Message, StringComparison.Ordinal);
        var valid = PageCompression.CompressSnappy(BitConverter.GetBytes(2.5));
        using var frame = FrameParquetReader.Read(SinglePageFile(8, valid, Codec.Snappy), "X");
        Assert.Equal(2.5, frame[0, 0]);
    }
}
