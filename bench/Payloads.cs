using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;
using ParquetSharp;
using Encoding = System.Text.Encoding;
using ParquetSharp.IO;

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

    /// <summary>pyarrow's file for the frame, written by the same C++ writer (ParquetSharp): optional float64
    /// tag columns, a UTC nanosecond index, SNAPPY.</summary>
    private static byte[] ParquetFile(string[] tags, string[] columns, int rows)
    {
        var schema = columns.Select(c => (Column)new Column<double?>(c))
            .Append(new Column<long?>("__index_level_0__", LogicalType.Timestamp(true, ParquetSharp.TimeUnit.Nanos))).ToArray();
        var pandas = new StringBuilder("{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [{\"name\": null, \"field_name\": null, \"pandas_type\": \"unicode\", \"numpy_type\": \"object\", \"metadata\": {\"encoding\": \"UTF-8\"}}], \"columns\": [");
        foreach (var column in columns)
        {
            pandas.Append("{\"name\": ").Append(JsonSerializer.Serialize(column)).Append(", \"field_name\": ").Append(JsonSerializer.Serialize(column))
                .Append(", \"pandas_type\": \"float64\", \"numpy_type\": \"float64\", \"metadata\": null}, ");
        }

        pandas.Append("{\"name\": null, \"field_name\": \"__index_level_0__\", \"pandas_type\": \"datetimetz\", \"numpy_type\": \"datetime64[ns]\", \"metadata\": {\"timezone\": \"UTC\"}}], ")
            .Append("\"creator\": {\"library\": \"pyarrow\", \"version\": \"14.0.2\"}, \"pandas_version\": \"1.5.3\"}");
        using var stream = new MemoryStream();
        using (var output = new ManagedOutputStream(stream, leaveOpen: true))
        using (var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).CreatedBy("parquet-cpp-arrow version 14.0.2").Build())
        using (var writer = new ParquetFileWriter(output, schema, properties, new Dictionary<string, string> { ["pandas"] = pandas.ToString() }))
        {
            using (var group = writer.AppendRowGroup())
            {
                var levels = Enumerable.Repeat((short)1, rows).ToArray();
                var values = new double[rows];
                foreach (var column in columns)
                {
                    var t = Array.IndexOf(tags, column);
                    for (var r = 0; r < rows; r++)
                    {
                        values[r] = Value(r, t);
                    }

                    using var doubles = (ColumnWriter<double>)group.NextColumn();
                    doubles.WriteBatch(rows, levels, default, values);
                }

                var index = new long[rows];
                for (var r = 0; r < rows; r++)
                {
                    index[r] = (Start.AddMinutes(10 * r).Ticks - DateTime.UnixEpoch.Ticks) * 100;
                }

                using var stamps = (ColumnWriter<long>)group.NextColumn();
                stamps.WriteBatch(rows, levels, default, index);
            }

            writer.Close();
        }

        return stream.ToArray();
    }
}
