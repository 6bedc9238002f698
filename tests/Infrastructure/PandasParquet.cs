using Gordo.ModelBuilder.Data;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// Request files as the gordo client sends them with <c>--parquet</c>:
/// <c>pq.write_table(pa.Table.from_pandas(df), compression="snappy")</c> of a frame with float64 tag
/// columns and a UTC DatetimeIndex (stored as <c>__index_level_0__</c>, nanoseconds), with pyarrow's
/// pandas metadata; written by Arrow's C++ writer (ParquetSharp), the one under pyarrow.
/// </summary>
public static class PandasParquet
{
    public static byte[] FromDataset(SensorDataset data, int start, int count, string[] columns)
    {
        var written = new List<TestColumn>();
        foreach (var name in columns)
        {
            var c = Array.IndexOf(data.Tags, name);
            written.Add(new DoubleColumn(name, [.. Enumerable.Range(start, count).Select(r => (double?)data.Values[r, c])]));
        }

        written.Add(new Int64Column("__index_level_0__", [.. Enumerable.Range(start, count).Select(r => (long?)((data.TimestampsUtc[r].Ticks - DateTime.UnixEpoch.Ticks) * 100))], TimestampUtc: true));
        return ParquetFiles.Write(written, PandasMetadata.ForFrame(columns, "datetimetz"));
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
