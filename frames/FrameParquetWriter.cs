using System.Buffers;
using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;
using Gordo.Frames.Parquet;
using static Gordo.Frames.Parquet.ParquetMetadata;

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

    public static void Write(IBufferWriter<byte> output, ResultFrame frame)
    {
        var rows = frame.RowCount;
        var index = frame.Index;
        var timestamps = index.Kind == FrameIndexKind.Timestamp;
        var columns = new List<ParquetColumnWriter>(frame.Groups.Sum(g => g.SubNames.Length) + 3)
        {
            TimeColumn(frame, end: false),
            TimeColumn(frame, end: true),
        };
        foreach (var group in frame.Groups)
        {
            for (var sub = 0; sub < group.SubNames.Length; sub++)
            {
                var column = new ParquetColumnWriter(PythonRepr.Tuple(group.Name, group.SubNames[sub]), PhysicalType.Double);
                column.EnsureCapacity(rows, 8);
                column.AddDoubles(group.Column(sub)); // pyarrow's from_pandas turns NaN into null
                columns.Add(column);
            }
        }

        if (index.Kind != FrameIndexKind.Range)
        {
            var column = new ParquetColumnWriter(IndexLevel0, PhysicalType.Int64)
            {
                Logical = timestamps ? LogicalKind.Timestamp : LogicalKind.None,
                TimestampAdjustedToUtc = index.IsTimezoneAware,
                TimestampUnit = TimeUnit.Nanos,
            };
            column.EnsureCapacity(rows, 8);
            for (var row = 0; row < rows; row++)
            {
                column.AddInt64(timestamps ? EpochNanoseconds(index, row) : index.GetInteger(row));
            }

            columns.Add(column);
        }

        try
        {
            ParquetFileWriter.Write(output, columns, [new("pandas", PandasMetadata(frame, columns))], $"gordo version {GordoVersion.Current}");
        }
        finally
        {
            foreach (var column in columns)
            {
                column.ReturnBuffers();
            }
        }
    }

    private static ParquetColumnWriter TimeColumn(ResultFrame frame, bool end)
    {
        var name = PythonRepr.Tuple(end ? "end" : "start", string.Empty);
        var index = frame.Index;
        var present = index.Kind == FrameIndexKind.Timestamp && (!end || frame.Resolution is not null);
        if (!present || frame.RowCount == 0)
        {
            // pyarrow writes an all-null object column as the null type (physical INT32, logical UNKNOWN).
            var nulls = new ParquetColumnWriter(name, PhysicalType.Int32) { Logical = LogicalKind.Null };
            for (var row = 0; row < frame.RowCount; row++)
            {
                nulls.AddNull();
            }

            return nulls;
        }

        var column = new ParquetColumnWriter(name, PhysicalType.ByteArray) { Logical = LogicalKind.String, ConvertedType = (int)ConvertedType.Utf8 };
        column.EnsureCapacity(frame.RowCount, 29);
        Span<byte> buffer = stackalloc byte[IsoTimestamp.MaxFormattedLength];
        for (var row = 0; row < frame.RowCount; row++)
        {
            var clock = index.GetClock(row);
            if (end)
            {
                var ticks = clock.Ticks + frame.Resolution!.Value.Ticks;
                if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                {
                    column.AddNull();
                    continue;
                }

                clock = new DateTime(ticks);
            }

            int? offset = index.IsTimezoneAware ? index.OffsetMinutes[row] : null;
            column.AddString(buffer[..IsoTimestamp.FormatIso(clock, offset, buffer)]);
        }

        return column;
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
    private static string PandasMetadata(ResultFrame frame, List<ParquetColumnWriter> columns)
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
                var isIndex = column.Name == IndexLevel0;
                if (isIndex)
                {
                    json.WriteNull("name");
                }
                else
                {
                    json.WriteString("name", column.Name);
                }

                json.WriteString("field_name", column.Name);
                var (pandasType, numpyType) = column.Type switch
                {
                    PhysicalType.Double => ("float64", "float64"),
                    PhysicalType.ByteArray => ("unicode", "object"),
                    PhysicalType.Int32 => ("empty", "object"),
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

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
