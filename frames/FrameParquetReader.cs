using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;
using Gordo.Frames.Parquet;

namespace Gordo.Frames;

/// <summary>
/// Decodes a request frame (X or y) from a Parquet file as pandas/pyarrow write them
/// (<c>pq.write_table(pa.Table.from_pandas(df))</c>), the way <c>pq.read_table(...).to_pandas()</c>
/// gives it back to gordo: the <c>pandas</c> key-value metadata names the index (a column such as
/// <c>__index_level_0__</c>, or a RangeIndex kept as metadata only) and the column labels. Files
/// without it read as plain tables (a <c>__index_level_0__</c> column is still the index). Rows are
/// kept in file order (gordo does not sort Parquet input). Any problem is a 400 that names it.
/// </summary>
public static class FrameParquetReader
{
    private const string IndexLevel0 = "__index_level_0__";

    /// <param name="file">The whole file.</param>
    /// <param name="part">The part's name (X or y), for messages.</param>
    public static DataFrame Read(ReadOnlyMemory<byte> file, string part)
    {
        try
        {
            return ReadCore(file);
        }
        catch (ParquetFormatException ex)
        {
            throw new FrameFormatException($"Cannot read the Parquet file '{part}': {ex.Message}", "error");
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or OverflowException or InvalidOperationException)
        {
            // A damaged file whose numbers disagree in a way no check above caught: still the client's file.
            throw new FrameFormatException($"Cannot read the Parquet file '{part}': the file is corrupt ({ex.GetType().Name}).", "error");
        }
    }

    private static DataFrame ReadCore(ReadOnlyMemory<byte> file)
    {
        using var reader = ParquetTable.Open(file);
        var pandas = PandasSchema.Parse(reader.KeyValue("pandas"));
        var leaves = reader.Columns;
        var indexLeaf = -1;
        if (pandas?.IndexColumn is { } indexName)
        {
            indexLeaf = FindLeaf(leaves, indexName) ?? throw new ParquetFormatException($"The pandas metadata names index column '{indexName}', which the file does not have.");
        }
        else if (pandas is null)
        {
            indexLeaf = FindLeaf(leaves, IndexLevel0) ?? -1;
        }

        var columns = new List<int>(leaves.Count);
        for (var i = 0; i < leaves.Count; i++)
        {
            if (i != indexLeaf)
            {
                columns.Add(i);
            }
        }

        var rows = reader.RowCount;
        if (rows * Math.Max(1, columns.Count) > FrameJsonReader.MaxCells || rows > FrameJsonReader.MaxCells)
        {
            throw new ParquetFormatException($"The frame would hold more than {FrameJsonReader.MaxCells} cells (rows × columns); send it in smaller batches.");
        }

        var rowCount = (int)rows;
        var names = new string[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            var field = leaves[columns[c]].Name;
            names[c] = pandas?.LabelOf(field) ?? field;
        }

        var index = indexLeaf >= 0 ? ReadIndex(reader, indexLeaf, rowCount) : pandas?.Range is { } range ? RangeIndex(range, rowCount) : FrameIndex.Range(rowCount);
        var values = DataFrame.RentValues(rowCount, columns.Count);
        var column = PooledArrays.Rent<double>(Math.Max(1, rowCount));
        try
        {
            var width = columns.Count;
            for (var c = 0; c < width; c++)
            {
                var leaf = leaves[columns[c]];
                if (leaf.Type is ParquetSharp.PhysicalType.ByteArray or ParquetSharp.PhysicalType.FixedLenByteArray or ParquetSharp.PhysicalType.Int96)
                {
                    throw new ParquetFormatException($"Column '{leaf.Name}' holds {leaf.Describe()}, not numbers.");
                }

                var span = column.AsSpan(0, rowCount);
                reader.ReadDoubles(columns[c], span);
                for (var r = 0; r < rowCount; r++)
                {
                    values[(r * width) + c] = span[r];
                }
            }

            return new DataFrame(names, pandas?.PositionalColumns ?? false, index, values);
        }
        catch
        {
            index.Dispose();
            PooledArrays.Return(values);
            throw;
        }
        finally
        {
            PooledArrays.Return(column);
        }
    }

    private static int? FindLeaf(IReadOnlyList<ParquetTable.ColumnInfo> leaves, string name)
    {
        for (var i = 0; i < leaves.Count; i++)
        {
            if (leaves[i].Name == name)
            {
                return i;
            }
        }

        return null;
    }

    private static FrameIndex RangeIndex((long Start, long Stop, long Step) range, int rows)
    {
        if (range.Step == 1)
        {
            return FrameIndex.Range(rows, range.Start);
        }

        var labels = PooledArrays.Rent<long>(Math.Max(1, rows));
        for (var r = 0; r < rows; r++)
        {
            labels[r] = range.Start + (r * range.Step);
        }

        return FrameIndex.Integers(labels, rows);
    }

    private static FrameIndex ReadIndex(ParquetTable reader, int leaf, int rows)
    {
        var column = reader.Columns[leaf];
        if (column.Type == ParquetSharp.PhysicalType.ByteArray)
        {
            return ParseTextIndex(reader.ReadStrings(leaf), column.Name);
        }

        var unit = TimestampUnitOf(column);
        if (column.Type is not (ParquetSharp.PhysicalType.Int32 or ParquetSharp.PhysicalType.Int64 or ParquetSharp.PhysicalType.Int96) || column.IsDate || column.IsTime || column.IsDecimal)
        {
            throw new ParquetFormatException($"The index column '{column.Name}' holds {column.Describe()}; Gordo takes timestamps, integers or strings as the index.");
        }

        var values = PooledArrays.Rent<long>(Math.Max(1, rows));
        var nulls = PooledArrays.Rent<bool>(Math.Max(1, rows));
        try
        {
            nulls.AsSpan(0, rows).Clear();
            reader.ReadInt64s(leaf, values.AsSpan(0, rows), nulls.AsSpan(0, rows));
            if (nulls.AsSpan(0, rows).Contains(true))
            {
                throw new ParquetFormatException($"The index column '{column.Name}' has missing values.");
            }

            if (unit is null)
            {
                var labels = values;
                values = null;
                return FrameIndex.Integers(labels, rows);
            }

            // Timestamps: UTC-adjusted ones are aware (offset 0), the others naive; both kept as wall-clock ticks.
            var aware = column.Type != ParquetSharp.PhysicalType.Int96 && (!column.IsTimestamp || column.Logical.IsAdjustedToUtc);
            for (var r = 0; r < rows; r++)
            {
                values[r] = ToTicks(values[r], unit.Value, column.Name);
            }

            short[]? offsets = null;
            if (aware)
            {
                offsets = PooledArrays.Rent<short>(Math.Max(1, rows));
                offsets.AsSpan(0, rows).Clear();
            }

            var ticks = values;
            values = null;
            return FrameIndex.Timestamps(ticks, offsets, rows);
        }
        finally
        {
            if (values is not null)
            {
                PooledArrays.Return(values);
            }

            PooledArrays.Return(nulls);
        }
    }

    private enum TimeUnit
    {
        Millis,
        Micros,
        Nanos,
    }

    private static TimeUnit? TimestampUnitOf(ParquetTable.ColumnInfo column) =>
        column.Type == ParquetSharp.PhysicalType.Int96 ? TimeUnit.Nanos
        : column.IsTimestamp ? column.Logical.TimeUnit switch
        {
            ParquetSharp.TimeUnit.Millis => TimeUnit.Millis,
            ParquetSharp.TimeUnit.Micros => TimeUnit.Micros,
            _ => TimeUnit.Nanos,
        }
        : null;

    private static long ToTicks(long value, TimeUnit unit, string name)
    {
        long sinceEpoch;
        try
        {
            sinceEpoch = unit switch
            {
                TimeUnit.Millis => checked(value * TimeSpan.TicksPerMillisecond),
                TimeUnit.Micros => checked(value * 10),
                _ => value >= 0 ? value / 100 : ((value + 1) / 100) - 1, // floor: 100 ns ticks
            };
        }
        catch (OverflowException)
        {
            throw new ParquetFormatException($"A timestamp in index column '{name}' is out of range.");
        }

        var ticks = DateTime.UnixEpoch.Ticks + sinceEpoch;
        if (sinceEpoch > DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks || ticks < DateTime.MinValue.Ticks)
        {
            throw new ParquetFormatException($"A timestamp in index column '{name}' is out of range.");
        }

        return ticks;
    }

    /// <summary>A string index, read as gordo's JSON keys are: all ISO timestamps, else all integers.</summary>
    private static FrameIndex ParseTextIndex(string?[] labels, string name)
    {
        var rows = labels.Length;
        var ticks = PooledArrays.Rent<long>(Math.Max(1, rows));
        short[]? offsets = null;
        try
        {
            bool? aware = null;
            var timestamps = true;
            for (var r = 0; r < rows && timestamps; r++)
            {
                var text = labels[r] ?? throw new ParquetFormatException($"The index column '{name}' has missing values.");
                if (!IsoTimestamp.TryParse(Encoding.UTF8.GetBytes(text), out var clock, out var offset))
                {
                    timestamps = false;
                    break;
                }

                if (aware is null)
                {
                    aware = offset is not null;
                    if (offset is not null)
                    {
                        offsets = PooledArrays.Rent<short>(Math.Max(1, rows));
                    }
                }
                else if (aware != (offset is not null))
                {
                    throw new ParquetFormatException($"The index column '{name}' mixes timestamps with and without a UTC offset.");
                }

                ticks[r] = clock.Ticks;
                if (offsets is not null)
                {
                    offsets[r] = (short)offset!.Value;
                }
            }

            if (timestamps)
            {
                var index = FrameIndex.Timestamps(ticks, offsets, rows);
                ticks = null;
                offsets = null;
                return index;
            }

            for (var r = 0; r < rows; r++)
            {
                if (!PythonInt.TryParse(Encoding.UTF8.GetBytes(labels[r]!), out ticks[r]))
                {
                    throw new ParquetFormatException($"The index label '{Truncate(labels[r]!)}' of column '{name}' is neither an ISO timestamp nor an integer.");
                }
            }

            var integers = FrameIndex.Integers(ticks, rows);
            ticks = null;
            return integers;
        }
        finally
        {
            if (ticks is not null)
            {
                PooledArrays.Return(ticks);
            }

            if (offsets is not null)
            {
                PooledArrays.Return(offsets);
            }
        }
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    /// <summary>What the <c>pandas</c> key-value metadata says about the index and the column labels.</summary>
    private sealed class PandasSchema
    {
        private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

        public string? IndexColumn { get; private set; }

        public (long Start, long Stop, long Step)? Range { get; private set; }

        public bool PositionalColumns { get; private set; }

        public string? LabelOf(string field) => _labels.GetValueOrDefault(field);

        public static PandasSchema? Parse(string? json)
        {
            if (json is null)
            {
                return null;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            }
            catch (JsonException)
            {
                throw new ParquetFormatException("The pandas metadata is not valid JSON.");
            }

            using (document)
            {
                try
                {
                    return Parse(document.RootElement);
                }
                catch (InvalidOperationException)
                {
                    // A string holding an escaped lone surrogate cannot become text: the file's fault.
                    throw new ParquetFormatException("The pandas metadata holds a string that is not valid text (an escaped lone surrogate).");
                }
            }
        }

        private static PandasSchema Parse(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ParquetFormatException("The pandas metadata is not a JSON object.");
            }

            var schema = new PandasSchema();
            if (root.TryGetProperty("column_indexes", out var levels) && levels.ValueKind == JsonValueKind.Array)
            {
                if (levels.GetArrayLength() > 1)
                {
                    throw MultiLevel(root);
                }

                if (levels.GetArrayLength() == 1 && levels[0].TryGetProperty("pandas_type", out var levelType)
                    && levelType.ValueKind == JsonValueKind.String && levelType.GetString() is "int64" or "integer" or "int32")
                {
                    schema.PositionalColumns = true;
                }
            }

            if (root.TryGetProperty("index_columns", out var indexes) && indexes.ValueKind == JsonValueKind.Array)
            {
                if (indexes.GetArrayLength() > 1)
                {
                    throw new ParquetFormatException("Frames with a multi-level row index are not supported.");
                }

                if (indexes.GetArrayLength() == 1)
                {
                    var index = indexes[0];
                    if (index.ValueKind == JsonValueKind.String)
                    {
                        schema.IndexColumn = index.GetString();
                    }
                    else if (index.ValueKind == JsonValueKind.Object && index.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "range")
                    {
                        schema.Range = (Int(index, "start"), Int(index, "stop"), Int(index, "step"));
                        if (schema.Range.Value.Step == 0)
                        {
                            throw new ParquetFormatException("The pandas metadata has a RangeIndex with step 0.");
                        }
                    }
                    else
                    {
                        throw new ParquetFormatException("The pandas metadata describes an index Gordo does not understand.");
                    }
                }
            }

            if (root.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array)
            {
                foreach (var column in columns.EnumerateArray())
                {
                    if (column.ValueKind == JsonValueKind.Object && column.TryGetProperty("field_name", out var field) && field.ValueKind == JsonValueKind.String
                        && column.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                    {
                        schema._labels[field.GetString()!] = name.GetString()!;
                    }
                }
            }

            return schema;
        }

        private static long Int(JsonElement element, string property) =>
            element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
                ? number
                : throw new ParquetFormatException($"The pandas metadata's RangeIndex lacks a whole-number '{property}'.");

        /// <summary>gordo's 400 for MultiIndex columns, listing them as pandas prints tuples.</summary>
        private static FrameFormatException MultiLevel(JsonElement root)
        {
            var names = new List<string>();
            if (root.TryGetProperty("columns", out var columns) && columns.ValueKind == JsonValueKind.Array)
            {
                foreach (var column in columns.EnumerateArray())
                {
                    if (names.Count < 50 && column.ValueKind == JsonValueKind.Object && column.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                        && !(column.TryGetProperty("field_name", out var field) && field.GetString()?.StartsWith("__index_level_", StringComparison.Ordinal) == true))
                    {
                        names.Add(name.GetString()!);
                    }
                }
            }

            return new FrameFormatException($"Server does not support multi-level dataframes at this time: [{string.Join(", ", names)}]", "message");
        }
    }
}
