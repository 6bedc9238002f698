using System.Buffers;
using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;
using Gordo.Frames.Parquet;
using ParquetSharp;
using ParquetSharp.IO;

namespace Gordo.Frames;

/// <summary>
/// Encodes a <see cref="ResultFrame"/> as the Parquet file gordo answers <c>?format=parquet</c> with
/// (<c>pq.write_table(pa.Table.from_pandas(frame), compression="snappy")</c>): one column per
/// two-level column named by its tuple (<c>('model-input', 'tag-0')</c>), in pandas column order;
/// <c>start</c>/<c>end</c> as strings (or null-typed when all null); float64 values with NaN as null;
/// the index as <c>__index_level_0__</c> (UTC nanosecond timestamps, or int64), or a RangeIndex kept in
/// the metadata only; and the <c>pandas</c> metadata with two column levels, so that
/// <c>pd.read_parquet</c> rebuilds the MultiIndex columns and the DatetimeIndex.
/// </summary>
public static class FrameParquetWriter
{
    public const string ContentType = "application/octet-stream";
    private const string IndexLevel0 = "__index_level_0__";

    // Logical types are native handles: made once, not once per answer (nor left to finalizers).
    private static readonly LogicalType s_null = LogicalType.Null();
    private static readonly LogicalType s_utcNanos = LogicalType.Timestamp(true, ParquetSharp.TimeUnit.Nanos);
    private static readonly LogicalType s_naiveNanos = LogicalType.Timestamp(false, ParquetSharp.TimeUnit.Nanos);

    /// <summary>pyarrow's settings for gordo's answer: SNAPPY, PLAIN (no dictionary), one row group, v1 data pages.</summary>
    private static readonly Lazy<WriterProperties> s_properties = new(() => new WriterPropertiesBuilder()
        .Compression(Compression.Snappy)
        .DisableDictionary()
        .DisableStatistics()
        .DataPagesize(1 << 20)
        .MemoryPool(ArrowMemory.Pool)
        .CreatedBy($"gordo version {GordoVersion.Current}")
        .Build());

    public static void Write(IBufferWriter<byte> output, ResultFrame frame)
    {
        var plan = Plan(frame);
        var metadata = new Dictionary<string, string> { ["pandas"] = PandasMetadata(frame, plan) };
        using var stream = new BufferWriterStream(output);
        using var managed = new ManagedOutputStream(stream, leaveOpen: true);
        using var writer = new ParquetSharp.ParquetFileWriter(managed, [.. plan.Select(c => c.Schema)], s_properties.Value, metadata);
        using (var group = writer.AppendRowGroup())
        {
            var rows = frame.RowCount;
            var levels = PooledArrays.Rent<short>(Math.Max(1, rows));
            try
            {
                foreach (var column in plan)
                {
                    using var columnWriter = group.NextColumn();
                    column.Write(columnWriter, frame, levels.AsSpan(0, rows));
                }
            }
            finally
            {
                PooledArrays.Return(levels);
            }
        }

        writer.Close();
    }

    /// <summary>The file's columns in pandas order: start, end, every sub-column of every group, the index.</summary>
    private static List<PlannedColumn> Plan(ResultFrame frame)
    {
        var plan = new List<PlannedColumn>(frame.Groups.Sum(g => g.SubNames.Length) + 3)
        {
            TimeColumn(frame, end: false),
            TimeColumn(frame, end: true),
        };
        foreach (var group in frame.Groups)
        {
            for (var sub = 0; sub < group.SubNames.Length; sub++)
            {
                plan.Add(new ValuesColumn(PythonRepr.Tuple(group.Name, group.SubNames[sub]), group, sub));
            }
        }

        if (frame.Index.Kind != FrameIndexKind.Range)
        {
            plan.Add(new IndexColumn(frame.Index));
        }

        return plan;
    }

    private static PlannedColumn TimeColumn(ResultFrame frame, bool end)
    {
        var name = PythonRepr.Tuple(end ? "end" : "start", string.Empty);
        var present = frame.Index.Kind == FrameIndexKind.Timestamp && (!end || frame.Resolution is not null);
        // pyarrow writes an all-null object column as the null type (physical INT32, logical UNKNOWN).
        return present && frame.RowCount > 0 ? new TimesColumn(name, end) : new NullColumn(name);
    }

    /// <summary>Nanoseconds since the Unix epoch: the instant for an aware index, the wall clock for a naive one.</summary>
    private static long EpochNanoseconds(FrameIndex index, int row)
    {
        var ticks = index.GetClock(row).Ticks;
        if (index.IsTimezoneAware)
        {
            ticks -= index.OffsetMinutes[row] * TimeSpan.TicksPerMinute;
        }

        return (ticks - DateTime.UnixEpoch.Ticks) * 100;
    }

    /// <summary>The <c>pandas</c> metadata pyarrow writes for this frame, keys in pyarrow's order.</summary>
    private static string PandasMetadata(ResultFrame frame, List<PlannedColumn> columns)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("index_columns");
            var index = frame.Index;
            if (index.Kind == FrameIndexKind.Range)
            {
                json.WriteStartObject();
                json.WriteString("kind", "range");
                json.WriteNull("name");
                json.WriteNumber("start", index.RangeStart);
                json.WriteNumber("stop", index.RangeStart + index.Count);
                json.WriteNumber("step", 1);
                json.WriteEndObject();
            }
            else
            {
                json.WriteStringValue(IndexLevel0);
            }

            json.WriteEndArray();
            json.WriteStartArray("column_indexes");
            for (var level = 0; level < 2; level++)
            {
                json.WriteStartObject();
                json.WriteNull("name");
                json.WriteNull("field_name");
                json.WriteString("pandas_type", "unicode");
                json.WriteString("numpy_type", "object");
                json.WriteNull("metadata");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("columns");
            foreach (var column in columns)
            {
                json.WriteStartObject();
                var isIndex = column is IndexColumn;
                if (isIndex)
                {
                    json.WriteNull("name");
                }
                else
                {
                    json.WriteString("name", column.Name);
                }

                json.WriteString("field_name", column.Name);
                var (pandasType, numpyType) = column switch
                {
                    ValuesColumn => ("float64", "float64"),
                    TimesColumn => ("unicode", "object"),
                    NullColumn => ("empty", "object"),
                    _ when index.Kind == FrameIndexKind.Timestamp => (index.IsTimezoneAware ? "datetimetz" : "datetime", "datetime64[ns]"),
                    _ => ("int64", "int64"),
                };
                json.WriteString("pandas_type", pandasType);
                json.WriteString("numpy_type", numpyType);
                if (isIndex && pandasType == "datetimetz")
                {
                    json.WriteStartObject("metadata");
                    json.WriteString("timezone", "UTC");
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("metadata");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("creator");
            json.WriteString("library", "gordo");
            json.WriteString("version", GordoVersion.Current);
            json.WriteEndObject();
            json.WriteString("pandas_version", "1.5.3");
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>One column of the answer: its schema and how its rows are written.</summary>
    private abstract class PlannedColumn(string name, Column schema)
    {
        public string Name { get; } = name;

        public Column Schema { get; } = schema;

        /// <param name="levels">Scratch definition levels, one per row.</param>
        public abstract void Write(ColumnWriter writer, ResultFrame frame, Span<short> levels);
    }

    /// <summary>float64 values, NaN written as null (as pyarrow's from_pandas does).</summary>
    private sealed class ValuesColumn(string name, ResultColumnGroup group, int sub) : PlannedColumn(name, new Column<double?>(name))
    {
        public override void Write(ColumnWriter writer, ResultFrame frame, Span<short> levels)
        {
            var values = group.Column(sub);
            var dense = PooledArrays.Rent<double>(Math.Max(1, values.Length));
            try
            {
                var count = 0;
                for (var r = 0; r < values.Length; r++)
                {
                    var value = values[r];
                    if (double.IsNaN(value))
                    {
                        levels[r] = 0;
                    }
                    else
                    {
                        levels[r] = 1;
                        dense[count++] = value;
                    }
                }

                ((ColumnWriter<double>)writer).WriteBatch(values.Length, levels, default, dense.AsSpan(0, count));
            }
            finally
            {
                PooledArrays.Return(dense);
            }
        }
    }

    /// <summary><c>start</c> or <c>end</c> (start + resolution) as ISO strings.</summary>
    private sealed class TimesColumn(string name, bool end) : PlannedColumn(name, new Column<string>(name))
    {
        public override unsafe void Write(ColumnWriter writer, ResultFrame frame, Span<short> levels)
        {
            var index = frame.Index;
            var rows = frame.RowCount;
            var bytes = PooledArrays.Rent<byte>(Math.Max(1, rows * IsoTimestamp.MaxFormattedLength));
            var values = new ByteArray[rows];
            try
            {
                fixed (byte* text = bytes)
                {
                    var at = 0;
                    var count = 0;
                    for (var row = 0; row < rows; row++)
                    {
                        var clock = index.GetClock(row);
                        if (end)
                        {
                            var ticks = clock.Ticks + frame.Resolution!.Value.Ticks;
                            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                            {
                                levels[row] = 0;
                                continue;
                            }

                            clock = new DateTime(ticks);
                        }

                        int? offset = index.IsTimezoneAware ? index.OffsetMinutes[row] : null;
                        var length = IsoTimestamp.FormatIso(clock, offset, bytes.AsSpan(at));
                        values[count++] = new ByteArray((nint)(text + at), length);
                        levels[row] = 1;
                        at += length;
                    }

                    ((ColumnWriter<ByteArray>)writer).WriteBatch(rows, levels, default, values.AsSpan(0, count));
                }
            }
            finally
            {
                PooledArrays.Return(bytes);
            }
        }
    }

    /// <summary>An all-null column of pyarrow's null type.</summary>
    private sealed class NullColumn(string name) : PlannedColumn(name, new Column<int?>(name, s_null))
    {
        public override void Write(ColumnWriter writer, ResultFrame frame, Span<short> levels)
        {
            levels.Clear();
            ((ColumnWriter<int>)writer).WriteBatch(levels.Length, levels, default, ReadOnlySpan<int>.Empty);
        }
    }

    /// <summary>The row index: UTC (or naive) nanosecond timestamps, or int64 labels.</summary>
    private sealed class IndexColumn(FrameIndex index) : PlannedColumn(IndexLevel0,
        index.Kind == FrameIndexKind.Timestamp ? new Column<long?>(IndexLevel0, index.IsTimezoneAware ? s_utcNanos : s_naiveNanos) : new Column<long?>(IndexLevel0))
    {
        public override void Write(ColumnWriter writer, ResultFrame frame, Span<short> levels)
        {
            var rows = index.Count;
            var values = PooledArrays.Rent<long>(Math.Max(1, rows));
            try
            {
                var timestamps = index.Kind == FrameIndexKind.Timestamp;
                for (var row = 0; row < rows; row++)
                {
                    values[row] = timestamps ? EpochNanoseconds(index, row) : index.GetInteger(row);
                    levels[row] = 1;
                }

                ((ColumnWriter<long>)writer).WriteBatch(rows, levels, default, values.AsSpan(0, rows));
            }
            finally
            {
                PooledArrays.Return(values);
            }
        }
    }
}
