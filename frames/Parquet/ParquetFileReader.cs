using System.Buffers.Binary;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Frames.Parquet;

/// <summary>
/// Reads flat Parquet files (one level of required or optional primitive columns, as pandas and
/// pyarrow write frames): the footer, then each column across all row groups, decoding data pages v1
/// and v2 with PLAIN, dictionary (RLE_DICTIONARY / PLAIN_DICTIONARY), DELTA_BINARY_PACKED,
/// BYTE_STREAM_SPLIT and delta byte-array encodings, nulls from definition levels. Every offset and
/// size is checked against the file before it is used; anything else is a <see cref="ParquetFormatException"/>.
/// </summary>
internal sealed class ParquetFileReader
{
    /// <summary>Largest page (uncompressed) a file may declare.</summary>
    public const int MaxPageBytes = 256 << 20;

    private static readonly byte[] s_magic = "PAR1"u8.ToArray();
    private readonly ReadOnlyMemory<byte> _file;
    private readonly int _dataEnd;

    private ParquetFileReader(ReadOnlyMemory<byte> file, FileMetaData metadata, int dataEnd, List<SchemaElement> leaves)
    {
        _file = file;
        Metadata = metadata;
        _dataEnd = dataEnd;
        Leaves = leaves;
    }

    public FileMetaData Metadata { get; }

    /// <summary>The leaf columns, in file order.</summary>
    public IReadOnlyList<SchemaElement> Leaves { get; }

    public long RowCount => Metadata.NumRows;

    public static ParquetFileReader Open(ReadOnlyMemory<byte> file)
    {
        var bytes = file.Span;
        if (bytes.Length < 12 || !bytes[..4].SequenceEqual(s_magic))
        {
            throw new ParquetFormatException(bytes.Length >= 4 && bytes[^4..].SequenceEqual("PARE"u8)
                ? "Encrypted Parquet files are not supported."
                : "Not a Parquet file (it must start and end with PAR1).");
        }

        if (!bytes[^4..].SequenceEqual(s_magic))
        {
            throw new ParquetFormatException(bytes[^4..].SequenceEqual("PARE"u8)
                ? "Encrypted Parquet files are not supported."
                : "The Parquet file is truncated (it does not end with PAR1).");
        }

        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(bytes[^8..]);
        if (footerLength <= 0 || footerLength > bytes.Length - 12)
        {
            throw new ParquetFormatException($"The Parquet footer length {footerLength} does not fit in a file of {bytes.Length} bytes.");
        }

        var dataEnd = bytes.Length - 8 - footerLength;
        var metadata = ReadFileMetaData(bytes.Slice(dataEnd, footerLength));
        if (metadata.Encrypted)
        {
            throw new ParquetFormatException("Encrypted Parquet files are not supported.");
        }

        var leaves = Validate(metadata, dataEnd);
        return new ParquetFileReader(file, metadata, dataEnd, leaves);
    }

    public string? KeyValue(string key) => Metadata.KeyValueMetadata.LastOrDefault(kv => kv.Key == key).Value;

    /// <summary>Reads a numeric column as float64 into <paramref name="output"/> (one per row); nulls become NaN.</summary>
    public void ReadDoubles(int leaf, Span<double> output) => ReadColumn<double, DoubleValues>(leaf, output, []);

    /// <summary>Reads an integer or timestamp column; <paramref name="nulls"/> marks null rows.</summary>
    public void ReadInt64s(int leaf, Span<long> output, Span<bool> nulls) => ReadColumn<long, Int64Values>(leaf, output, nulls);

    public string?[] ReadStrings(int leaf)
    {
        var output = new string?[RowCount];
        ReadColumn<string?, StringValues>(leaf, output, []);
        return output;
    }

    private static List<SchemaElement> Validate(FileMetaData metadata, int dataEnd)
    {
        if (metadata.Schema.Count == 0)
        {
            throw new ParquetFormatException("The Parquet schema is empty.");
        }

        var root = metadata.Schema[0];
        if (root.NumChildren != metadata.Schema.Count - 1)
        {
            throw new ParquetFormatException("Nested Parquet columns (structs, lists, maps) are not supported: Gordo reads flat frames.");
        }

        var leaves = metadata.Schema.Skip(1).ToList();
        foreach (var leaf in leaves)
        {
            if (leaf.NumChildren > 0 || leaf.Type is null || leaf.Repetition is not (Repetition.Required or Repetition.Optional))
            {
                throw new ParquetFormatException($"Column '{leaf.Name}' is nested or repeated; Gordo reads flat frames.");
            }
        }

        if (metadata.NumRows < 0)
        {
            throw new ParquetFormatException("The Parquet file declares a negative row count.");
        }

        long rows = 0;
        foreach (var group in metadata.RowGroups)
        {
            if (group.Columns.Count != leaves.Count)
            {
                throw new ParquetFormatException($"A row group has {group.Columns.Count} column chunks for {leaves.Count} columns.");
            }

            if (group.NumRows < 0)
            {
                throw new ParquetFormatException("A row group declares a negative row count.");
            }

            for (var c = 0; c < leaves.Count; c++)
            {
                var chunk = group.Columns[c];
                if (chunk.FilePath is not null)
                {
                    throw new ParquetFormatException("Column chunks in other files are not supported.");
                }

                if (!chunk.HasMetaData)
                {
                    throw new ParquetFormatException($"Column chunk '{leaves[c].Name}' has no metadata.");
                }

                if (chunk.Type != leaves[c].Type)
                {
                    throw new ParquetFormatException($"Column chunk '{leaves[c].Name}' is {chunk.Type} but its schema says {leaves[c].Type}.");
                }

                if (chunk.NumValues != group.NumRows)
                {
                    throw new ParquetFormatException($"Column chunk '{leaves[c].Name}' has {chunk.NumValues} values for {group.NumRows} rows.");
                }

                var start = ChunkStart(chunk);
                if (start < 4 || chunk.TotalCompressedSize < 0 || start + chunk.TotalCompressedSize > dataEnd)
                {
                    throw new ParquetFormatException($"Column chunk '{leaves[c].Name}' lies outside the file.");
                }
            }

            rows += group.NumRows;
        }

        if (rows != metadata.NumRows)
        {
            throw new ParquetFormatException($"The row groups hold {rows} rows but the file declares {metadata.NumRows}.");
        }

        return leaves;
    }

    private static long ChunkStart(ColumnChunk chunk) =>
        chunk.DictionaryPageOffset is { } dictionary && dictionary > 0 && dictionary < chunk.DataPageOffset ? dictionary : chunk.DataPageOffset;

    private void ReadColumn<T, TKind>(int leaf, Span<T> output, Span<bool> nulls)
        where TKind : IParquetValueKind<T>
    {
        var column = Leaves[leaf];
        var maxDefinition = column.Repetition == Repetition.Optional ? 1 : 0;
        var file = _file.Span;
        var rowBase = 0L;
        foreach (var group in Metadata.RowGroups)
        {
            var chunk = group.Columns[leaf];
            var position = ChunkStart(chunk);
            var end = position + chunk.TotalCompressedSize;
            T[]? dictionary = null;
            long read = 0;
            while (read < chunk.NumValues)
            {
                if (position >= end)
                {
                    throw new ParquetFormatException($"Column chunk '{column.Name}' ends before all its values were read.");
                }

                var header = ReadPageHeader(file[(int)position..(int)end], out var headerLength);
                position += headerLength;
                if (header.CompressedSize > end - position)
                {
                    throw new ParquetFormatException($"A page of column '{column.Name}' runs past its column chunk.");
                }

                if (header.UncompressedSize > MaxPageBytes)
                {
                    throw new ParquetFormatException($"A page of column '{column.Name}' declares {header.UncompressedSize} bytes; at most {MaxPageBytes} are accepted.");
                }

                // A page cannot need much more room than its values take in the widest encoding: a small
                // file must not make the reader allocate for data it does not hold.
                var bytesPerValue = column.Type == PhysicalType.ByteArray ? 1024L : 16L;
                if (header.UncompressedSize > 65_536 + ((long)Math.Max(0, header.NumValues) * bytesPerValue))
                {
                    throw new ParquetFormatException($"A page of column '{column.Name}' declares {header.UncompressedSize} bytes for {header.NumValues} values.");
                }

                var payload = file.Slice((int)position, header.CompressedSize);
                position += header.CompressedSize;
                switch (header.Type)
                {
                    case PageType.DictionaryPage:
                        dictionary = ReadDictionary<T, TKind>(chunk, column, header, payload);
                        break;
                    case PageType.DataPage or PageType.DataPageV2:
                        {
                            if (!header.HasTypeHeader || header.NumValues < 0 || header.NumValues > chunk.NumValues - read)
                            {
                                throw new ParquetFormatException($"A data page of column '{column.Name}' declares more values than its column chunk.");
                            }

                            var offset = (int)(rowBase + read);
                            ReadDataPage<T, TKind>(chunk, column, maxDefinition, header, payload, dictionary,
                                output.Slice(offset, header.NumValues), nulls.IsEmpty ? nulls : nulls.Slice(offset, header.NumValues));
                            read += header.NumValues;
                            break;
                        }

                    default:
                        break; // index pages carry nothing needed here
                }
            }

            rowBase += group.NumRows;
        }
    }

    private static T[] ReadDictionary<T, TKind>(ColumnChunk chunk, SchemaElement column, PageHeader header, ReadOnlySpan<byte> payload)
        where TKind : IParquetValueKind<T>
    {
        if (!header.HasTypeHeader || header.Encoding is not (PageEncoding.Plain or PageEncoding.PlainDictionary))
        {
            throw new ParquetFormatException($"The dictionary of column '{column.Name}' is not PLAIN-encoded.");
        }

        // Every PLAIN value takes at least one byte (booleans aside, which are never dictionary-encoded).
        if (header.NumValues < 0 || header.NumValues > header.UncompressedSize)
        {
            throw new ParquetFormatException($"The dictionary of column '{column.Name}' declares more values than it has bytes.");
        }

        var buffer = PooledArrays.Rent<byte>(Math.Max(1, header.UncompressedSize));
        try
        {
            var data = buffer.AsSpan(0, header.UncompressedSize);
            PageCompression.Decompress(chunk.Codec, payload, data);
            var values = new T[header.NumValues];
            TKind.Plain(data, column, values);
            return values;
        }
        finally
        {
            PooledArrays.Return(buffer);
        }
    }

    private static void ReadDataPage<T, TKind>(ColumnChunk chunk, SchemaElement column, int maxDefinition, PageHeader header,
        ReadOnlySpan<byte> payload, T[]? dictionary, Span<T> output, Span<bool> nulls)
        where TKind : IParquetValueKind<T>
    {
        var count = header.NumValues;
        var buffer = PooledArrays.Rent<byte>(Math.Max(1, header.UncompressedSize));
        var levels = maxDefinition > 0 ? PooledArrays.Rent<int>(Math.Max(1, count)) : null;
        try
        {
            ReadOnlySpan<byte> values;
            var definitions = levels is null ? Span<int>.Empty : levels.AsSpan(0, count);
            if (header.Type == PageType.DataPage)
            {
                var data = buffer.AsSpan(0, header.UncompressedSize);
                PageCompression.Decompress(chunk.Codec, payload, data);
                var position = 0;
                if (maxDefinition > 0)
                {
                    if (header.DefinitionLevelEncoding != PageEncoding.Rle)
                    {
                        throw new ParquetFormatException($"Definition levels of column '{column.Name}' use {header.DefinitionLevelEncoding}; only RLE is supported.");
                    }

                    if (data.Length < 4)
                    {
                        throw new ParquetFormatException($"A data page of column '{column.Name}' is too short for its definition levels.");
                    }

                    var length = BinaryPrimitives.ReadInt32LittleEndian(data);
                    if (length < 0 || length > data.Length - 4)
                    {
                        throw new ParquetFormatException($"The definition levels of column '{column.Name}' run past their page.");
                    }

                    RleBitPackedHybrid.Decode(data.Slice(4, length), 1, definitions);
                    position = 4 + length;
                }

                values = data[position..];
            }
            else
            {
                if (header.RepetitionLevelsLength != 0)
                {
                    throw new ParquetFormatException($"Column '{column.Name}' has repetition levels; Gordo reads flat frames.");
                }

                var levelsLength = header.DefinitionLevelsLength;
                if (levelsLength < 0 || levelsLength > payload.Length || levelsLength > header.UncompressedSize)
                {
                    throw new ParquetFormatException($"The definition levels of column '{column.Name}' run past their page.");
                }

                if (maxDefinition > 0)
                {
                    RleBitPackedHybrid.Decode(payload[..levelsLength], 1, definitions);
                }

                var compressed = payload[levelsLength..];
                var data = buffer.AsSpan(0, header.UncompressedSize - levelsLength);
                if (header.IsCompressed)
                {
                    PageCompression.Decompress(chunk.Codec, compressed, data);
                }
                else
                {
                    PageCompression.Decompress(Codec.Uncompressed, compressed, data);
                }

                values = data;
            }

            var present = count;
            if (maxDefinition > 0)
            {
                present = 0;
                foreach (var level in definitions)
                {
                    if (level > maxDefinition)
                    {
                        throw new ParquetFormatException($"A definition level of column '{column.Name}' is out of range.");
                    }

                    present += level;
                }
            }

            // Decode the present values into the front of the output, then spread them over the null gaps.
            var target = output[..present];
            DecodeValues<T, TKind>(column, header.Encoding, values, dictionary, target);
            if (maxDefinition > 0 && present < count)
            {
                var next = present - 1;
                for (var i = count - 1; i >= 0; i--)
                {
                    if (definitions[i] == maxDefinition)
                    {
                        output[i] = output[next--];
                    }
                    else
                    {
                        output[i] = TKind.Null;
                        if (!nulls.IsEmpty)
                        {
                            nulls[i] = true;
                        }
                    }
                }
            }
        }
        finally
        {
            PooledArrays.Return(buffer);
            if (levels is not null)
            {
                PooledArrays.Return(levels);
            }
        }
    }

    private static void DecodeValues<T, TKind>(SchemaElement column, PageEncoding encoding, ReadOnlySpan<byte> data, T[]? dictionary, Span<T> output)
        where TKind : IParquetValueKind<T>
    {
        switch (encoding)
        {
            case PageEncoding.Plain:
                TKind.Plain(data, column, output);
                return;
            case PageEncoding.PlainDictionary or PageEncoding.RleDictionary:
                {
                    if (dictionary is null)
                    {
                        throw new ParquetFormatException($"Column '{column.Name}' uses a dictionary it does not have.");
                    }

                    if (output.IsEmpty)
                    {
                        return;
                    }

                    if (data.IsEmpty)
                    {
                        throw new ParquetFormatException($"Dictionary indices of column '{column.Name}' are missing.");
                    }

                    var indices = PooledArrays.Rent<int>(output.Length);
                    try
                    {
                        var span = indices.AsSpan(0, output.Length);
                        RleBitPackedHybrid.Decode(data[1..], data[0], span);
                        for (var i = 0; i < span.Length; i++)
                        {
                            var index = span[i];
                            if ((uint)index >= (uint)dictionary.Length)
                            {
                                throw new ParquetFormatException($"A dictionary index of column '{column.Name}' is out of range.");
                            }

                            output[i] = dictionary[index];
                        }
                    }
                    finally
                    {
                        PooledArrays.Return(indices);
                    }

                    return;
                }

            case PageEncoding.DeltaBinaryPacked:
                {
                    if (column.Type is not (PhysicalType.Int32 or PhysicalType.Int64))
                    {
                        throw new ParquetFormatException($"Column '{column.Name}' ({column.Type}) cannot be DELTA_BINARY_PACKED.");
                    }

                    var integers = PooledArrays.Rent<long>(Math.Max(1, output.Length));
                    try
                    {
                        var span = integers.AsSpan(0, output.Length);
                        DeltaBinaryPacked.Decode(data, span);
                        TKind.FromIntegers(span, column, output);
                    }
                    finally
                    {
                        PooledArrays.Return(integers);
                    }

                    return;
                }

            case PageEncoding.ByteStreamSplit:
                TKind.ByteStreamSplit(data, column, output);
                return;
            case PageEncoding.DeltaLengthByteArray:
                TKind.DeltaByteArray(data, prefixed: false, column, output);
                return;
            case PageEncoding.DeltaByteArray:
                TKind.DeltaByteArray(data, prefixed: true, column, output);
                return;
            default:
                throw new ParquetFormatException($"Column '{column.Name}' uses the {encoding} encoding, which Gordo does not read.");
        }
    }
}
