using System.Buffers;
using ParquetSharp;
using ParquetSharp.IO;

namespace Gordo.Frames.Parquet;

/// <summary>
/// A flat Parquet file in memory, read by ParquetSharp (Apache Arrow's C++ Parquet reader: every codec,
/// page version, dictionary and encoding the writers of the field use, ZSTD and Hadoop LZ4 included),
/// with what <see cref="FrameParquetReader"/> asks of it: the key-value metadata, the columns'
/// descriptors, and whole columns across row groups as float64, int64 or strings. The body is read in
/// place (pinned, no copy). Whatever the library refuses in a damaged file is a
/// <see cref="ParquetFormatException"/>.
/// </summary>
internal sealed class ParquetTable : IDisposable
{
    private const long JulianUnixEpoch = 2_440_588;
    private const int Batch = 4096;

    private readonly MemoryHandle _pin;
    private readonly ParquetSharp.IO.Buffer _buffer;
    private readonly BufferReader _input;
    private readonly ParquetSharp.ParquetFileReader _reader;
    private readonly FileMetaData _metadata;

    private ParquetTable(MemoryHandle pin, ParquetSharp.IO.Buffer buffer, BufferReader input, ParquetSharp.ParquetFileReader reader)
    {
        _pin = pin;
        _buffer = buffer;
        _input = input;
        _reader = reader;
        _metadata = reader.FileMetaData;
        RowCount = _metadata.NumRows;
        long sum = 0;
        for (var g = 0; g < _metadata.NumRowGroups; g++)
        {
            using var group = _reader.RowGroup(g);
            var rows = group.MetaData.NumRows;
            if (rows < 0)
            {
                throw new ParquetFormatException($"Row group {g} declares {rows} rows.");
            }

            sum += rows;
        }

        if (RowCount < 0 || sum != RowCount)
        {
            throw new ParquetFormatException($"The file declares {RowCount} rows but its row groups hold {sum}.");
        }

        var columns = new List<ColumnInfo>(_metadata.NumColumns);
        var schema = _metadata.Schema;
        var fields = schema.GroupNode.Fields;
        try
        {
            if (fields.Length != _metadata.NumColumns)
            {
                throw new ParquetFormatException("Nested Parquet columns (structs, lists, maps) are not supported: Gordo reads flat frames.");
            }
        }
        finally
        {
            foreach (var field in fields)
            {
                field.Dispose();
            }
        }

        // ParquetSharp's handles (logical types, paths, nodes) are native: disposed here, not by finalizers.
        for (var c = 0; c < _metadata.NumColumns; c++)
        {
            var column = schema.Column(c);
            using var path = column.Path;
            if (column.MaxRepetitionLevel > 0 || path.ToDotVector().Length != 1)
            {
                throw new ParquetFormatException($"Column '{column.Name}' is nested or repeated; Gordo reads flat frames.");
            }

            using var logical = column.LogicalType;
            columns.Add(new ColumnInfo(column.Name, column.PhysicalType, LogicalOf(logical), column.MaxDefinitionLevel));
        }

        Columns = columns;
    }

    public long RowCount { get; }

    public IReadOnlyList<ColumnInfo> Columns { get; }

    public static ParquetTable Open(ReadOnlyMemory<byte> file)
    {
        var bytes = file.Span;
        if (bytes.Length < 12 || !bytes.StartsWith("PAR1"u8))
        {
            throw new ParquetFormatException("Not a Parquet file: it does not start with PAR1.");
        }

        if (!bytes.EndsWith("PAR1"u8))
        {
            throw new ParquetFormatException("The file is truncated (or not Parquet): it does not end with PAR1.");
        }

        var footer = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(bytes[^8..]);
        if (footer <= 0 || footer > bytes.Length - 12)
        {
            throw new ParquetFormatException($"The footer length {footer} does not fit in a file of {bytes.Length} bytes.");
        }

        var pin = file.Pin();
        ParquetSharp.IO.Buffer? buffer = null;
        BufferReader? input = null;
        ParquetSharp.ParquetFileReader? reader = null;
        try
        {
            unsafe
            {
                buffer = new ParquetSharp.IO.Buffer((nint)pin.Pointer, file.Length);
            }

            input = new BufferReader(buffer);
            reader = Guard(() => new ParquetSharp.ParquetFileReader(input, ArrowMemory.ReaderProperties));
            var created = reader;
            return Guard(() => new ParquetTable(pin, buffer, input, created));
        }
        catch
        {
            reader?.Dispose();
            input?.Dispose();
            buffer?.Dispose();
            pin.Dispose();
            throw;
        }
    }

    public string? KeyValue(string key) => _metadata.KeyValueMetadata.GetValueOrDefault(key);

    /// <summary>A numeric column as float64 (nulls as NaN): DOUBLE, FLOAT, INT32, INT64 or BOOLEAN.</summary>
    public void ReadDoubles(int column, Span<double> output)
    {
        var info = Columns[column];
        var unsigned = info.IsUnsigned;
        switch (info.Type)
        {
            case PhysicalType.Double:
                Read<double>(column, output, static (v, _) => v);
                break;
            case PhysicalType.Float:
                Read<float>(column, output, static (v, _) => v);
                break;
            case PhysicalType.Int32:
                Read<int>(column, output, unsigned ? static (v, _) => (uint)v : static (v, _) => v);
                break;
            case PhysicalType.Int64:
                Read<long>(column, output, unsigned ? static (v, _) => (ulong)v : static (v, _) => v);
                break;
            case PhysicalType.Boolean:
                Read<bool>(column, output, static (v, _) => v ? 1 : 0);
                break;
            default:
                throw new ParquetFormatException($"Column '{info.Name}' holds {info.Describe()}, not numbers.");
        }
    }

    /// <summary>An INT32, INT64 or INT96 column as int64 (INT96 as nanoseconds since the epoch); <paramref name="nulls"/> marks null rows.</summary>
    public void ReadInt64s(int column, Span<long> output, Span<bool> nulls)
    {
        var info = Columns[column];
        var at = 0;
        for (var g = 0; g < _metadata.NumRowGroups; g++)
        {
            using var group = Guard(() => _reader.RowGroup(g));
            var rows = checked((int)group.MetaData.NumRows);
            using var reader = Guard(() => group.Column(column));
            switch (reader)
            {
                case ColumnReader<int> ints:
                    ReadLevels(ints, info, rows, output.Slice(at, rows), nulls.Slice(at, rows), info.IsUnsigned ? static v => (uint)v : static v => v);
                    break;
                case ColumnReader<long> longs:
                    ReadLevels(longs, info, rows, output.Slice(at, rows), nulls.Slice(at, rows), static v => v);
                    break;
                case ColumnReader<Int96> int96:
                    ReadLevels(int96, info, rows, output.Slice(at, rows), nulls.Slice(at, rows), v => Nanos(v, info.Name));
                    break;
                default:
                    throw new ParquetFormatException($"Column '{info.Name}' ({info.Type}) does not hold integers or timestamps.");
            }

            at += rows;
        }
    }

    public string?[] ReadStrings(int column)
    {
        var info = Columns[column];
        var output = new string?[RowCount];
        var at = 0;
        for (var g = 0; g < _metadata.NumRowGroups; g++)
        {
            using var group = Guard(() => _reader.RowGroup(g));
            var rows = checked((int)group.MetaData.NumRows);
            using var reader = Guard(() => group.Column(column));
            if (reader is not ColumnReader<ByteArray> strings)
            {
                throw new ParquetFormatException($"Column '{info.Name}' does not hold strings.");
            }

            var values = new ByteArray[Batch];
            var levels = new short[Batch];
            var row = 0;
            while (row < rows)
            {
                var want = Math.Min(Batch, rows - row);
                var (levelCount, valueCount) = Guard(() =>
                {
                    var read = strings.ReadBatch(want, levels, null, values, out var count);
                    return (read, count);
                });
                if (levelCount == 0)
                {
                    throw new ParquetFormatException($"Column '{info.Name}' ends after {row} of its {rows} rows.");
                }

                var next = 0;
                for (var i = 0; i < levelCount; i++)
                {
                    output[at + row + i] = info.MaxDefinitionLevel == 0 || levels[i] == info.MaxDefinitionLevel ? Text(values[next++]) : null;
                }

                row += (int)levelCount;
            }

            at += rows;
        }

        return output;
    }

    public void Dispose()
    {
        _metadata.Dispose();
        _reader.Dispose();
        _input.Dispose();
        _buffer.Dispose();
        _pin.Dispose();
    }

    private static unsafe string Text(ByteArray value) =>
        value.Length == 0 ? string.Empty : System.Text.Encoding.UTF8.GetString((byte*)value.Pointer, value.Length);

    private static long Nanos(Int96 value, string name)
    {
        var nanos = ((long)(uint)value.B << 32) | (uint)value.A;
        try
        {
            return checked(((value.C - JulianUnixEpoch) * 86_400_000_000_000L) + nanos);
        }
        catch (OverflowException)
        {
            throw new ParquetFormatException($"An INT96 timestamp in column '{name}' is out of range.");
        }
    }

    /// <summary>Reads a column row group by row group in batches: values come dense (nulls left out)
    /// with definition levels, and are spread over the rows here, nulls as NaN.</summary>
    private void Read<T>(int column, Span<double> output, Func<T, int, double> convert) where T : unmanaged
    {
        var info = Columns[column];
        var at = 0;
        var values = new T[Batch];
        var levels = new short[Batch];
        for (var g = 0; g < _metadata.NumRowGroups; g++)
        {
            using var group = Guard(() => _reader.RowGroup(g));
            var rows = checked((int)group.MetaData.NumRows);
            using var reader = Guard(() => group.Column(column));
            if (reader is not ColumnReader<T> typed)
            {
                throw new ParquetFormatException($"Column '{info.Name}' is not {typeof(T).Name}.");
            }

            var row = 0;
            while (row < rows)
            {
                var want = Math.Min(Batch, rows - row);
                var (levelCount, valueCount) = Guard(() =>
                {
                    var read = typed.ReadBatch(want, levels, null, values, out var count);
                    return (read, count);
                });
                if (levelCount == 0 || valueCount > levelCount)
                {
                    throw new ParquetFormatException($"Column '{info.Name}' ends after {row} of its {rows} rows.");
                }

                var slice = output.Slice(at + row, (int)levelCount);
                if (info.MaxDefinitionLevel == 0)
                {
                    for (var i = 0; i < slice.Length; i++)
                    {
                        slice[i] = convert(values[i], i);
                    }
                }
                else
                {
                    var next = 0;
                    for (var i = 0; i < slice.Length; i++)
                    {
                        slice[i] = levels[i] == info.MaxDefinitionLevel ? convert(values[next++], i) : double.NaN;
                    }
                }

                row += (int)levelCount;
            }

            at += rows;
        }
    }

    private static void ReadLevels<T>(ColumnReader<T> reader, ColumnInfo info, int rows, Span<long> output, Span<bool> nulls, Func<T, long> convert) where T : unmanaged
    {
        var values = new T[Batch];
        var levels = new short[Batch];
        var row = 0;
        while (row < rows)
        {
            var want = Math.Min(Batch, rows - row);
            var (levelCount, valueCount) = Guard(() =>
            {
                var read = reader.ReadBatch(want, levels, null, values, out var count);
                return (read, count);
            });
            if (levelCount == 0 || valueCount > levelCount)
            {
                throw new ParquetFormatException($"Column '{info.Name}' ends after {row} of its {rows} rows.");
            }

            var next = 0;
            for (var i = 0; i < levelCount; i++)
            {
                var present = info.MaxDefinitionLevel == 0 || levels[i] == info.MaxDefinitionLevel;
                nulls[row + i] = !present;
                output[row + i] = present ? convert(values[next++]) : 0;
            }

            row += (int)levelCount;
        }
    }

    /// <summary>The library's refusals of a damaged or unsupported file, as the client's error.</summary>
    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ParquetException ex)
        {
            throw new ParquetFormatException(Reason(ex.Message));
        }
        catch (Exception ex) when (ex is not (ParquetFormatException or OutOfMemoryException or OperationCanceledException))
        {
            throw new ParquetFormatException($"the file is corrupt ({ex.GetType().Name}: {ex.Message})");
        }
    }

    /// <summary>Arrow's message without its C++ exception class: "Invalid: Parquet magic bytes not found ...".</summary>
    private static string Reason(string message)
    {
        var start = message.IndexOf("(message: '", StringComparison.Ordinal);
        var text = start >= 0 ? message[(start + 11)..].TrimEnd(')', '\'', ' ', '\n') : message;
        var line = text.IndexOf('\n', StringComparison.Ordinal);
        return "the file is corrupt or unsupported: " + (line >= 0 ? text[..line] : text).Trim();
    }

    private static LogicalInfo LogicalOf(LogicalType logical) => logical switch
    {
        TimestampLogicalType timestamp => new LogicalInfo(LogicalTypeEnum.Timestamp, false, timestamp.IsAdjustedToUtc, timestamp.TimeUnit),
        IntLogicalType integer => new LogicalInfo(LogicalTypeEnum.Int, !integer.IsSigned, false, ParquetSharp.TimeUnit.Unknown),
        _ => new LogicalInfo(logical.Type, false, false, ParquetSharp.TimeUnit.Unknown),
    };

    /// <summary>What Gordo needs of a column's logical type, copied out of the native handle.</summary>
    public readonly record struct LogicalInfo(LogicalTypeEnum Type, bool IsUnsigned, bool IsAdjustedToUtc, ParquetSharp.TimeUnit TimeUnit);

    /// <summary>A column's name and types, as Gordo checks them.</summary>
    public sealed record ColumnInfo(string Name, PhysicalType Type, LogicalInfo Logical, short MaxDefinitionLevel)
    {
        public bool IsString => Logical.Type == LogicalTypeEnum.String;

        public bool IsUnsigned => Logical.IsUnsigned;

        public bool IsTimestamp => Logical.Type == LogicalTypeEnum.Timestamp;

        public bool IsDate => Logical.Type == LogicalTypeEnum.Date;

        public bool IsTime => Logical.Type == LogicalTypeEnum.Time;

        public bool IsDecimal => Logical.Type == LogicalTypeEnum.Decimal;

        public string Describe() => Type switch
        {
            PhysicalType.ByteArray => IsString ? "strings" : "binary values",
            PhysicalType.FixedLenByteArray => IsDecimal ? "decimals" : "fixed-length binary values",
            PhysicalType.Int96 => "INT96 timestamps",
            _ when IsDate => "dates",
            _ when IsTime => "times of day",
            _ when IsDecimal => "decimals",
            _ => Type.ToString(),
        };
    }
}
