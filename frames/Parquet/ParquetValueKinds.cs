using System.Buffers.Binary;

using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Frames.Parquet;

/// <summary>How the values of one physical type become the values a caller asked for (float64, int64, string).</summary>
internal interface IParquetValueKind<T>
{
    /// <summary>What a null becomes (NaN for float64).</summary>
    static abstract T Null { get; }

    /// <summary>Decodes <c>output.Length</c> PLAIN values; returns the bytes consumed.</summary>
    static abstract int Plain(ReadOnlySpan<byte> data, SchemaElement column, Span<T> output);

    /// <summary>Converts DELTA_BINARY_PACKED integers.</summary>
    static abstract void FromIntegers(ReadOnlySpan<long> integers, SchemaElement column, Span<T> output);

    /// <summary>Decodes BYTE_STREAM_SPLIT values.</summary>
    static abstract void ByteStreamSplit(ReadOnlySpan<byte> data, SchemaElement column, Span<T> output);

    /// <summary>Decodes DELTA_LENGTH_BYTE_ARRAY or DELTA_BYTE_ARRAY values.</summary>
    static abstract void DeltaByteArray(ReadOnlySpan<byte> data, bool prefixed, SchemaElement column, Span<T> output);
}

/// <summary>float64 values from DOUBLE, FLOAT, INT32, INT64 and BOOLEAN columns.</summary>
internal readonly struct DoubleValues : IParquetValueKind<double>
{
    public static double Null => double.NaN;

    public static int Plain(ReadOnlySpan<byte> data, SchemaElement column, Span<double> output)
    {
        switch (column.Type)
        {
            case PhysicalType.Double:
                Need(data, output.Length * 8L);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = BinaryPrimitives.ReadDoubleLittleEndian(data[(i * 8)..]);
                }

                return output.Length * 8;
            case PhysicalType.Float:
                Need(data, output.Length * 4L);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
                }

                return output.Length * 4;
            case PhysicalType.Int32:
                Need(data, output.Length * 4L);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = ParquetIntegers.Int32(BinaryPrimitives.ReadInt32LittleEndian(data[(i * 4)..]), column);
                }

                return output.Length * 4;
            case PhysicalType.Int64:
                Need(data, output.Length * 8L);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = ParquetIntegers.Int64(BinaryPrimitives.ReadInt64LittleEndian(data[(i * 8)..]), column);
                }

                return output.Length * 8;
            case PhysicalType.Boolean:
                Need(data, (output.Length + 7) / 8);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = (data[i >> 3] >> (i & 7)) & 1;
                }

                return (output.Length + 7) / 8;
            default:
                throw ParquetValueErrors.NotNumeric(column);
        }
    }

    public static void FromIntegers(ReadOnlySpan<long> integers, SchemaElement column, Span<double> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = column.Type == PhysicalType.Int32 ? ParquetIntegers.Int32((int)integers[i], column) : ParquetIntegers.Int64(integers[i], column);
        }
    }

    public static void ByteStreamSplit(ReadOnlySpan<byte> data, SchemaElement column, Span<double> output)
    {
        var width = column.Type switch
        {
            PhysicalType.Double or PhysicalType.Int64 => 8,
            PhysicalType.Float or PhysicalType.Int32 => 4,
            _ => throw ParquetValueErrors.NotNumeric(column),
        };
        Span<byte> value = stackalloc byte[8];
        var n = output.Length;
        Need(data, (long)n * width);
        for (var i = 0; i < n; i++)
        {
            for (var b = 0; b < width; b++)
            {
                value[b] = data[(b * n) + i];
            }

            output[i] = column.Type switch
            {
                PhysicalType.Double => BinaryPrimitives.ReadDoubleLittleEndian(value),
                PhysicalType.Float => BinaryPrimitives.ReadSingleLittleEndian(value),
                PhysicalType.Int32 => ParquetIntegers.Int32(BinaryPrimitives.ReadInt32LittleEndian(value), column),
                _ => ParquetIntegers.Int64(BinaryPrimitives.ReadInt64LittleEndian(value), column),
            };
        }
    }

    public static void DeltaByteArray(ReadOnlySpan<byte> data, bool prefixed, SchemaElement column, Span<double> output) =>
        throw ParquetValueErrors.NotNumeric(column);

    internal static void Need(ReadOnlySpan<byte> data, long bytes)
    {
        if (bytes > data.Length)
        {
            throw new ParquetFormatException("A page holds fewer values than its header declares.");
        }
    }
}

/// <summary>int64 values from INT32, INT64 and INT96 (legacy timestamps, as nanoseconds since the Unix epoch) columns.</summary>
internal readonly struct Int64Values : IParquetValueKind<long>
{
    private const long JulianUnixEpoch = 2_440_588;

    public static long Null => 0;

    public static int Plain(ReadOnlySpan<byte> data, SchemaElement column, Span<long> output)
    {
        switch (column.Type)
        {
            case PhysicalType.Int64:
                DoubleValues.Need(data, output.Length * 8L);
                for (var i = 0; i < output.Length; i++)
                {
                    output[i] = BinaryPrimitives.ReadInt64LittleEndian(data[(i * 8)..]);
                }

                return output.Length * 8;
            case PhysicalType.Int32:
                DoubleValues.Need(data, output.Length * 4L);
                for (var i = 0; i < output.Length; i++)
                {
                    var value = BinaryPrimitives.ReadInt32LittleEndian(data[(i * 4)..]);
                    output[i] = ParquetIntegers.IsUnsigned(column) ? (uint)value : value;
                }

                return output.Length * 4;
            case PhysicalType.Int96:
                DoubleValues.Need(data, output.Length * 12L);
                for (var i = 0; i < output.Length; i++)
                {
                    var nanos = BinaryPrimitives.ReadInt64LittleEndian(data[(i * 12)..]);
                    var day = BinaryPrimitives.ReadInt32LittleEndian(data[((i * 12) + 8)..]);
                    try
                    {
                        output[i] = checked(((day - JulianUnixEpoch) * 86_400_000_000_000L) + nanos);
                    }
                    catch (OverflowException)
                    {
                        throw new ParquetFormatException($"An INT96 timestamp in column '{column.Name}' is out of range.");
                    }
                }

                return output.Length * 12;
            default:
                throw new ParquetFormatException($"Column '{column.Name}' ({column.Type}) does not hold integers or timestamps.");
        }
    }

    public static void FromIntegers(ReadOnlySpan<long> integers, SchemaElement column, Span<long> output)
    {
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = column.Type == PhysicalType.Int32 && ParquetIntegers.IsUnsigned(column) ? (uint)(int)integers[i] : integers[i];
        }
    }

    public static void ByteStreamSplit(ReadOnlySpan<byte> data, SchemaElement column, Span<long> output)
    {
        var width = column.Type switch
        {
            PhysicalType.Int64 => 8,
            PhysicalType.Int32 => 4,
            _ => throw new ParquetFormatException($"Column '{column.Name}' ({column.Type}) does not hold integers or timestamps."),
        };
        var n = output.Length;
        DoubleValues.Need(data, (long)n * width);
        Span<byte> value = stackalloc byte[8];
        for (var i = 0; i < n; i++)
        {
            for (var b = 0; b < width; b++)
            {
                value[b] = data[(b * n) + i];
            }

            output[i] = width == 8 ? BinaryPrimitives.ReadInt64LittleEndian(value) : BinaryPrimitives.ReadInt32LittleEndian(value);
        }
    }

    public static void DeltaByteArray(ReadOnlySpan<byte> data, bool prefixed, SchemaElement column, Span<long> output) =>
        throw new ParquetFormatException($"Column '{column.Name}' ({column.Type}) does not hold integers or timestamps.");
}

/// <summary>Strings from BYTE_ARRAY columns (UTF-8).</summary>
internal readonly struct StringValues : IParquetValueKind<string?>
{
    public static string? Null => null;

    public static int Plain(ReadOnlySpan<byte> data, SchemaElement column, Span<string?> output)
    {
        if (column.Type != PhysicalType.ByteArray)
        {
            throw NotText(column);
        }

        var position = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (data.Length - position < 4)
            {
                throw new ParquetFormatException("A page holds fewer values than its header declares.");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
            position += 4;
            if (length < 0 || length > data.Length - position)
            {
                throw new ParquetFormatException($"A string in column '{column.Name}' runs past the end of its page.");
            }

            output[i] = System.Text.Encoding.UTF8.GetString(data.Slice(position, length));
            position += length;
        }

        return position;
    }

    public static void FromIntegers(ReadOnlySpan<long> integers, SchemaElement column, Span<string?> output) => throw NotText(column);

    public static void ByteStreamSplit(ReadOnlySpan<byte> data, SchemaElement column, Span<string?> output) => throw NotText(column);

    public static void DeltaByteArray(ReadOnlySpan<byte> data, bool prefixed, SchemaElement column, Span<string?> output)
    {
        if (column.Type != PhysicalType.ByteArray)
        {
            throw NotText(column);
        }

        var n = output.Length;
        var prefixes = new long[n];
        var lengths = new long[n];
        var position = 0;
        if (prefixed)
        {
            position += DeltaBinaryPacked.Decode(data, prefixes);
        }

        position += DeltaBinaryPacked.Decode(data[position..], lengths);
        var previous = Array.Empty<byte>();
        for (var i = 0; i < n; i++)
        {
            var prefix = prefixes[i];
            var length = lengths[i];
            if (prefix < 0 || prefix > previous.Length || length < 0 || length > data.Length - position)
            {
                throw new ParquetFormatException($"Delta-encoded strings in column '{column.Name}' are corrupt.");
            }

            var value = new byte[prefix + length];
            previous.AsSpan(0, (int)prefix).CopyTo(value);
            data.Slice(position, (int)length).CopyTo(value.AsSpan((int)prefix));
            position += (int)length;
            output[i] = System.Text.Encoding.UTF8.GetString(value);
            previous = value;
        }
    }

    private static ParquetFormatException NotText(SchemaElement column) =>
        new($"Column '{column.Name}' ({column.Type}) does not hold strings.");
}

/// <summary>Integer annotations: unsigned types read as unsigned.</summary>
internal static class ParquetIntegers
{
    public static bool IsUnsigned(SchemaElement column) =>
        (column.Logical == LogicalKind.Integer && !column.IntegerSigned)
        || column.ConvertedType is (int)ConvertedType.Uint8 or (int)ConvertedType.Uint16 or (int)ConvertedType.Uint32 or (int)ConvertedType.Uint64;

    public static double Int32(int value, SchemaElement column) => IsUnsigned(column) ? (uint)value : value;

    public static double Int64(long value, SchemaElement column) => IsUnsigned(column) ? (ulong)value : value;
}

internal static class ParquetValueErrors
{
    public static ParquetFormatException NotNumeric(SchemaElement column) =>
        new($"Column '{column.Name}' holds {Describe(column)}, not numbers.");

    public static string Describe(SchemaElement column) => column.Type switch
    {
        PhysicalType.ByteArray => column.Logical == LogicalKind.String || column.ConvertedType == (int)ConvertedType.Utf8 ? "strings" : "binary values",
        PhysicalType.FixedLenByteArray => column.Logical == LogicalKind.Decimal || column.ConvertedType == (int)ConvertedType.Decimal ? "decimals" : "fixed-length binary values",
        PhysicalType.Int96 => "INT96 timestamps",
        _ => column.Type?.ToString() ?? "no type",
    };
}
