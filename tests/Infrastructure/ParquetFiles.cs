using ParquetSharp;
using ParquetSharp.IO;

namespace Gordo.Tests.Infrastructure;

/// <summary>A column of a Parquet file written for a test.</summary>
public abstract record TestColumn(string Name);

public sealed record DoubleColumn(string Name, double?[] Values) : TestColumn(Name);

/// <summary>INT64 values, optionally as UTC (or naive) nanosecond timestamps.</summary>
public sealed record Int64Column(string Name, long?[] Values, bool? TimestampUtc = null) : TestColumn(Name);

public sealed record StringColumn(string Name, string?[] Values) : TestColumn(Name);

public sealed record Int96Column(string Name, Int96[] Values) : TestColumn(Name);

/// <summary>
/// Parquet files for tests, written by ParquetSharp (Apache Arrow's C++ writer, the one pyarrow uses):
/// optional columns, SNAPPY, and the key-value metadata given (e.g. pyarrow's <c>pandas</c> metadata).
/// </summary>
public static class ParquetFiles
{
    public static byte[] Write(IReadOnlyList<TestColumn> columns, string? pandas, string createdBy = "parquet-cpp-arrow version 14.0.2")
    {
        var schema = columns.Select(Schema).ToArray();
        using var stream = new MemoryStream();
        using (var output = new ManagedOutputStream(stream, leaveOpen: true))
        using (var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).CreatedBy(createdBy).Build())
        using (var writer = new ParquetFileWriter(output, schema, properties, pandas is null ? null : new Dictionary<string, string> { ["pandas"] = pandas }))
        {
            using (var group = writer.AppendRowGroup())
            {
                foreach (var column in columns)
                {
                    using var columnWriter = group.NextColumn();
                    switch (column)
                    {
                        case DoubleColumn d:
                            WritePhysical((ColumnWriter<double>)columnWriter, d.Values);
                            break;
                        case Int64Column i:
                            WritePhysical((ColumnWriter<long>)columnWriter, i.Values);
                            break;
                        case StringColumn s:
                            using (var strings = columnWriter.LogicalWriter<string?>())
                            {
                                strings.WriteBatch(s.Values);
                            }

                            break;
                        case Int96Column t:
                            ((ColumnWriter<Int96>)columnWriter).WriteBatch(t.Values);
                            break;
                    }
                }
            }

            writer.Close();
        }

        return stream.ToArray();
    }

    /// <summary>Optional DOUBLE columns whose every row is null, written in batches (no array of the rows).</summary>
    public static byte[] WriteNulls(string[] names, int rows)
    {
        using var stream = new MemoryStream();
        using (var output = new ManagedOutputStream(stream, leaveOpen: true))
        using (var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).Build())
        using (var writer = new ParquetFileWriter(output, [.. names.Select(n => (Column)new Column<double?>(n))], properties))
        {
            using (var group = writer.AppendRowGroup())
            {
                var levels = new short[1 << 20];
                foreach (var _ in names)
                {
                    using var column = (ColumnWriter<double>)group.NextColumn();
                    for (var written = 0; written < rows; written += levels.Length)
                    {
                        column.WriteBatch(Math.Min(levels.Length, rows - written), levels, default, ReadOnlySpan<double>.Empty);
                    }
                }
            }

            writer.Close();
        }

        return stream.ToArray();
    }

    private static Column Schema(TestColumn column) => column switch
    {
        DoubleColumn => new Column<double?>(column.Name),
        Int64Column { TimestampUtc: { } utc } => new Column<long?>(column.Name, LogicalType.Timestamp(utc, ParquetSharp.TimeUnit.Nanos)),
        Int64Column => new Column<long?>(column.Name),
        StringColumn => new Column<string>(column.Name),
        Int96Column => new Column<Int96>(column.Name),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    private static void WritePhysical<T>(ColumnWriter<T> writer, T?[] values) where T : unmanaged
    {
        var levels = values.Select(v => (short)(v.HasValue ? 1 : 0)).ToArray();
        var dense = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        writer.WriteBatch(values.Length, levels, default, dense);
    }
}
