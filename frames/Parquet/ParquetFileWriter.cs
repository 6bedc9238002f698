using System.Buffers;
using System.Buffers.Binary;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Frames.Parquet;

/// <summary>
/// Writes a Parquet file of flat columns: one row group, one data page (v1) per column, PLAIN values,
/// RLE definition levels for optional columns, SNAPPY compression, and the key-value metadata given
/// (pandas' schema description, for one).
/// </summary>
internal static class ParquetFileWriter
{
    private static readonly byte[] s_magic = "PAR1"u8.ToArray();

    public static void Write(IBufferWriter<byte> output, IReadOnlyList<ParquetColumnWriter> columns, IReadOnlyList<KeyValuePair<string, string>> keyValues, string createdBy)
    {
        var rows = columns.Count == 0 ? 0 : columns[0].Rows;
        if (columns.Any(c => c.Rows != rows))
        {
            throw new InvalidOperationException("All columns of a row group must have the same number of rows.");
        }

        long position = 0;
        void Put(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(output.GetSpan(bytes.Length));
            output.Advance(bytes.Length);
            position += bytes.Length;
        }

        Put(s_magic);
        // Pages are built (levels, values, SNAPPY) independently, so a large file builds them on every
        // core: a 10 000-row anomaly frame has 105 columns of 80 KB each to compress.
        var pages = new (byte[] Header, int HeaderLength, byte[] Compressed, int BodyLength)[columns.Count];
        long cells = (long)rows * columns.Count;
        if (cells >= ParallelCells)
        {
            Parallel.For(0, columns.Count, c => pages[c] = BuildPage(columns[c], rows));
        }
        else
        {
            for (var c = 0; c < columns.Count; c++)
            {
                pages[c] = BuildPage(columns[c], rows);
            }
        }

        var chunks = new (long Offset, long Compressed, long Uncompressed)[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var (header, headerLength, compressed, bodyLength) = pages[c];
            chunks[c] = (position, headerLength + compressed.Length, headerLength + bodyLength);
            Put(header.AsSpan(0, headerLength));
            Put(compressed);
        }

        var thrift = new ThriftCompactWriter();
        thrift.Clear();
        WriteFileMetaData(thrift, columns, chunks, rows, keyValues, createdBy);
        Put(thrift.Written);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, thrift.Length);
        Put(length);
        Put(s_magic);
    }

    /// <summary>Cells (rows × columns) from which pages are built in parallel.</summary>
    private const long ParallelCells = 200_000;

    /// <summary>One column's data page (v1): its Thrift header and its SNAPPY body ([length + RLE definition levels] then PLAIN values).</summary>
    private static (byte[] Header, int HeaderLength, byte[] Compressed, int BodyLength) BuildPage(ParquetColumnWriter column, int rows)
    {
        var levels = new List<byte>();
        if (column.Optional)
        {
            RleBitPackedHybrid.Encode(column.Definitions, 1, levels);
        }

        var bodyLength = (column.Optional ? 4 + levels.Count : 0) + column.Values.Length;
        var body = PooledArrays.Rent<byte>(Math.Max(1, bodyLength));
        try
        {
            var span = body.AsSpan(0, bodyLength);
            var at = 0;
            if (column.Optional)
            {
                BinaryPrimitives.WriteInt32LittleEndian(span, levels.Count);
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(levels).CopyTo(span[4..]);
                at = 4 + levels.Count;
            }

            column.Values.CopyTo(span[at..]);
            var compressed = PageCompression.CompressSnappy(span);
            var thrift = new ThriftCompactWriter();
            thrift.BeginStruct();
            thrift.FieldI32(1, (int)PageType.DataPage);
            thrift.FieldI32(2, bodyLength);
            thrift.FieldI32(3, compressed.Length);
            thrift.FieldStruct(5);
            thrift.FieldI32(1, rows);
            thrift.FieldI32(2, (int)PageEncoding.Plain);
            thrift.FieldI32(3, (int)PageEncoding.Rle);
            thrift.FieldI32(4, (int)PageEncoding.Rle);
            thrift.EndStruct();
            thrift.EndStruct();
            return (thrift.Written.ToArray(), thrift.Length, compressed, bodyLength);
        }
        finally
        {
            PooledArrays.Return(body);
        }
    }

    private static void WriteFileMetaData(ThriftCompactWriter thrift, IReadOnlyList<ParquetColumnWriter> columns,
        (long Offset, long Compressed, long Uncompressed)[] chunks, int rows, IReadOnlyList<KeyValuePair<string, string>> keyValues, string createdBy)
    {
        thrift.BeginStruct();
        thrift.FieldI32(1, 2);
        thrift.FieldList(2, ThriftCompactReader.Struct, columns.Count + 1);
        thrift.BeginStruct();
        thrift.FieldString(4, "schema");
        thrift.FieldI32(5, columns.Count);
        thrift.EndStruct();
        foreach (var column in columns)
        {
            thrift.BeginStruct();
            thrift.FieldI32(1, (int)column.Type);
            thrift.FieldI32(3, (int)(column.Optional ? Repetition.Optional : Repetition.Required));
            thrift.FieldString(4, column.Name);
            if (column.ConvertedType is { } converted)
            {
                thrift.FieldI32(6, converted);
            }

            if (column.Logical != LogicalKind.None)
            {
                thrift.FieldStruct(10);
                thrift.FieldStruct((short)column.Logical);
                if (column.Logical == LogicalKind.Timestamp)
                {
                    thrift.FieldBool(1, column.TimestampAdjustedToUtc);
                    thrift.FieldStruct(2);
                    thrift.FieldStruct((short)column.TimestampUnit);
                    thrift.EndStruct();
                    thrift.EndStruct();
                }

                thrift.EndStruct();
                thrift.EndStruct();
            }

            thrift.EndStruct();
        }

        thrift.FieldI64(3, rows);
        thrift.FieldList(4, ThriftCompactReader.Struct, 1);
        thrift.BeginStruct();
        thrift.FieldList(1, ThriftCompactReader.Struct, columns.Count);
        long totalUncompressed = 0, totalCompressed = 0;
        for (var c = 0; c < columns.Count; c++)
        {
            var (offset, compressed, uncompressed) = chunks[c];
            totalUncompressed += uncompressed;
            totalCompressed += compressed;
            thrift.BeginStruct();
            thrift.FieldI64(2, offset);
            thrift.FieldStruct(3);
            thrift.FieldI32(1, (int)columns[c].Type);
            thrift.FieldList(2, ThriftCompactReader.I32, 2);
            thrift.ElementI32((int)PageEncoding.Plain);
            thrift.ElementI32((int)PageEncoding.Rle);
            thrift.FieldList(3, ThriftCompactReader.Binary, 1);
            thrift.ElementString(columns[c].Name);
            thrift.FieldI32(4, (int)Codec.Snappy);
            thrift.FieldI64(5, rows);
            thrift.FieldI64(6, uncompressed);
            thrift.FieldI64(7, compressed);
            thrift.FieldI64(9, offset);
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.FieldI64(2, totalUncompressed);
        thrift.FieldI64(3, rows);
        thrift.FieldI64(5, chunks.Length > 0 ? chunks[0].Offset : 4);
        thrift.FieldI64(6, totalCompressed);
        thrift.EndStruct();
        if (keyValues.Count > 0)
        {
            thrift.FieldList(5, ThriftCompactReader.Struct, keyValues.Count);
            foreach (var (key, value) in keyValues)
            {
                thrift.BeginStruct();
                thrift.FieldString(1, key);
                thrift.FieldString(2, value);
                thrift.EndStruct();
            }
        }

        thrift.FieldString(6, createdBy);
        thrift.EndStruct();
    }
}
