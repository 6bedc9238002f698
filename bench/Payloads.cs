using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;
using Gordo.Frames.Parquet;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Bench;

/// <summary>
/// Request bodies as the gordo client sends them, for any rows × tags: JSON <c>{"X": {tag: {"YYYY-MM-DD
/// HH:MM:SS+00:00": value}}, "y": ...}</c>, or multipart Parquet files X and y (pyarrow layout with a UTC
/// nanosecond index and pandas metadata). Values are smooth, deterministic and in the training range.
/// </summary>
public static class Payloads
{
    public static readonly DateTime Start = new(2023, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public static double Value(int row, int tag) => 50 + (10 * Math.Sin((row * 0.01) + tag)) + (tag * 2.5);

    /// <summary>The body exactly as the gordo client's <c>requests.post(json=...)</c> writes it (Python's json.dumps: ", " and ": ", float repr).</summary>
    public static byte[] Json(string[] tags, string[] targets, int rows)
    {
        var keys = new string[rows];
        for (var r = 0; r < rows; r++)
        {
            keys[r] = "\"" + Start.AddMinutes(10 * r).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00\": ";
        }

        var body = new MemoryStream(rows * (tags.Length + targets.Length) * 48);
        Span<byte> number = stackalloc byte[PythonFloat.MaxLength];
        body.Write("{"u8);
        var frame = 0;
        foreach (var (name, columns) in new[] { ("X", tags), ("y", targets) })
        {
            body.Write(Encoding.UTF8.GetBytes((frame++ > 0 ? ", " : string.Empty) + JsonSerializer.Serialize(name) + ": {"));
            for (var c = 0; c < columns.Length; c++)
            {
                var t = Array.IndexOf(tags, columns[c]);
                body.Write(Encoding.UTF8.GetBytes((c > 0 ? ", " : string.Empty) + JsonSerializer.Serialize(columns[c]) + ": {"));
                for (var r = 0; r < rows; r++)
                {
                    body.Write(Encoding.UTF8.GetBytes(r > 0 ? ", " + keys[r] : keys[r]));
                    body.Write(number[..PythonFloat.Format(Value(r, t), number)]);
                }

                body.Write("}"u8);
            }

            body.Write("}"u8);
        }

        body.Write("}"u8);
        return body.ToArray();
    }

    /// <summary>The multipart body and its content type (with the boundary).</summary>
    public static (byte[] Body, string ContentType) Parquet(string[] tags, string[] targets, int rows)
    {
        const string boundary = "gordo-bench-boundary-7d3f";
        var body = new MemoryStream();
        foreach (var (name, columns) in new[] { ("X", tags), ("y", targets) })
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\r\n"));
            body.Write(ParquetFile(tags, columns, rows));
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        return (body.ToArray(), $"multipart/form-data; boundary={boundary}");
    }

    private static byte[] ParquetFile(string[] tags, string[] columns, int rows)
    {
        var writers = new List<ParquetColumnWriter>();
        foreach (var column in columns)
        {
            var t = Array.IndexOf(tags, column);
            var writer = new ParquetColumnWriter(column, PhysicalType.Double);
            writer.EnsureCapacity(rows, 8);
            for (var r = 0; r < rows; r++)
            {
                writer.AddDouble(Value(r, t));
            }

            writers.Add(writer);
        }

        var index = new ParquetColumnWriter("__index_level_0__", PhysicalType.Int64) { Logical = LogicalKind.Timestamp, TimestampAdjustedToUtc = true };
        index.EnsureCapacity(rows, 8);
        for (var r = 0; r < rows; r++)
        {
            index.AddInt64((Start.AddMinutes(10 * r).Ticks - DateTime.UnixEpoch.Ticks) * 100);
        }

        writers.Add(index);
        var pandas = new StringBuilder("{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [{\"name\": null, \"field_name\": null, \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}], \"columns\": [");
        foreach (var column in columns)
        {
            pandas.Append("{\"name\": ").Append(JsonSerializer.Serialize(column)).Append(", \"field_name\": ").Append(JsonSerializer.Serialize(column))
                .Append(", \"pandas_type\": \"float64\", \"numpy_type\": \"float64\", \"metadata\": null}, ");
        }

        pandas.Append("{\"name\": null, \"field_name\": \"__index_level_0__\", \"pandas_type\": \"datetimetz\", \"numpy_type\": \"datetime64[ns]\", \"metadata\": {\"timezone\": \"UTC\"}}], ")
            .Append("\"creator\": {\"library\": \"pyarrow\", \"version\": \"14.0.2\"}, \"pandas_version\": \"1.5.3\"}");
        var output = new ArrayBufferWriter<byte>();
        ParquetFileWriter.Write(output, writers, [new("pandas", pandas.ToString())], "parquet-cpp-arrow version 14.0.2");
        return output.WrittenSpan.ToArray();
    }
}
