using System.Buffers;
using Gordo.Frames.Parquet;
using Gordo.ModelBuilder.Data;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// Request files as the gordo client sends them with <c>--parquet</c>:
/// <c>pq.write_table(pa.Table.from_pandas(df), compression="snappy")</c> of a frame with float64 tag
/// columns and a UTC DatetimeIndex (stored as <c>__index_level_0__</c>, nanoseconds), with pyarrow's
/// pandas metadata.
/// </summary>
public static class PandasParquet
{
    public static byte[] FromDataset(SensorDataset data, int start, int count, string[] columns)
    {
        var writers = new List<ParquetColumnWriter>();
        foreach (var name in columns)
        {
            var c = Array.IndexOf(data.Tags, name);
            var column = new ParquetColumnWriter(name, PhysicalType.Double);
            for (var r = start; r < start + count; r++)
            {
                column.AddDouble(data.Values[r, c]);
            }

            writers.Add(column);
        }

        var index = new ParquetColumnWriter("__index_level_0__", PhysicalType.Int64) { Logical = LogicalKind.Timestamp, TimestampAdjustedToUtc = true, TimestampUnit = TimeUnit.Nanos };
        for (var r = start; r < start + count; r++)
        {
            index.AddInt64((data.TimestampsUtc[r].Ticks - DateTime.UnixEpoch.Ticks) * 100);
        }

        writers.Add(index);
        var output = new ArrayBufferWriter<byte>();
        ParquetFileWriter.Write(output, writers, [new("pandas", PandasMetadata.ForFrame(columns, "datetimetz"))], "parquet-cpp-arrow version 14.0.2");
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The multipart body the gordo client posts: file parts X and (optionally) y, filename = field name, no part content type.</summary>
    public static MultipartFormDataContent Multipart(byte[] x, byte[]? y)
    {
        var content = new MultipartFormDataContent { { new ByteArrayContent(x), "X", "X" } };
        if (y is not null)
        {
            content.Add(new ByteArrayContent(y), "y", "y");
        }

        return content;
    }
}
