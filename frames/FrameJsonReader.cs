using System.Globalization;
using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;

namespace Gordo.Frames;

/// <summary>
/// Decodes a gordo JSON request body <c>{"X": frame, "y": frame | null}</c> in one streaming pass over
/// the UTF-8 bytes (no DOM, no boxing), straight into pooled float64 storage. A frame may be any shape
/// gordo's <c>dataframe_from_dict</c> accepts: a list of rows, a list of records, a flat list (one
/// column), column → list, or column → {index key → value} (what gordo clients send). Index keys are
/// parsed once per row as ISO timestamps, else as integers, and rows are sorted by index as gordo
/// does. Values are numbers, null (NaN) or numeric strings; Python's bare NaN/Infinity tokens are
/// accepted. Anything else is an <see cref="FrameFormatException"/> that says what was wrong.
/// </summary>
public static partial class FrameJsonReader
{
    /// <summary>Cells per frame (rows × columns) above which a request is refused rather than allocated.</summary>
    public const int MaxCells = 1 << 24;

    private static readonly string[] s_positionalNames = [.. Enumerable.Range(0, 256).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    public static RequestFrames ReadRequest(ReadOnlySpan<byte> body) =>
        TryReadClientShape(body, out var frames) ? frames! : ReadRequestGeneral(body);

    /// <summary>
    /// <see cref="ReadRequest(ReadOnlySpan{byte})"/>, with y decoded on a core that
    /// <paramref name="spareCore"/> lends while X is decoded here, when the body is large enough to gain
    /// from it (<see cref="LastFrameAhead"/>). The frames are the same either way.
    /// </summary>
    public static RequestFrames ReadRequest(ReadOnlyMemory<byte> body, ISpareCore? spareCore) =>
        ReadRequest(body, spareCore, queue: null);

    internal static RequestFrames ReadRequest(ReadOnlyMemory<byte> body, ISpareCore? spareCore, Action<IThreadPoolWorkItem>? queue)
    {
        if (spareCore is null || body.Length < 2 * LastFrameAhead.MinFrameBytes)
        {
            return ReadRequest(body.Span);
        }

        using var ahead = LastFrameAhead.TryStart(body, spareCore, ReadLastFrame, queue);
        return TryReadClientShape(body.Span, ahead, out var frames) ? frames! : ReadRequestGeneral(body.Span);
    }

    /// <summary>The general reader alone (every shape, every error message); tests compare the fast path with it.</summary>
    internal static RequestFrames ReadRequestGeneral(ReadOnlySpan<byte> body)
    {
        try
        {
            return ReadRequestRewriting(body);
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader compares and converts escaped text only on demand (ValueTextEquals, GetString)
            // and throws this when the text is not text; Text() names the place where it can.
            throw new FrameFormatException(NotText, "error");
        }
    }

    private static RequestFrames ReadRequestRewriting(ReadOnlySpan<byte> body)
    {
        try
        {
            return ReadRequestStrict(body);
        }
        catch (JsonException) when (PythonJsonTokens.Rewrite(body) is { } rewritten)
        {
            try
            {
                return ReadRequestStrict(rewritten);
            }
            catch (JsonException ex)
            {
                throw InvalidJson(ex);
            }
        }
        catch (JsonException ex)
        {
            throw InvalidJson(ex);
        }
    }

    private static FrameFormatException InvalidJson(JsonException ex) =>
        new($"Failed to decode JSON object: {ex.Message}", "error");

    private static RequestFrames ReadRequestStrict(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read())
        {
            throw new JsonException("The body is empty.");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            // A valid JSON body that is not an object has no "X": check it is valid JSON first.
            reader.Skip();
            while (reader.Read())
            {
            }

            throw MissingX();
        }

        DataFrame? x = null;
        DataFrame? y = null;
        var sawX = false;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("X"u8))
                {
                    reader.Read();
                    x?.Dispose();
                    x = ReadFrame(ref reader, "X");
                    sawX = true;
                }
                else if (reader.ValueTextEquals("y"u8))
                {
                    reader.Read();
                    y?.Dispose();
                    y = ReadFrame(ref reader, "y");
                }
                else
                {
                    reader.Skip();
                }
            }

            // Consume to the end so that trailing garbage is an error, not ignored.
            while (reader.Read())
            {
            }

            if (!sawX)
            {
                throw MissingX();
            }

            if (x is null)
            {
                throw new FrameFormatException("\"X\" must be a frame (a JSON object or list), not null.", "error");
            }

            return new RequestFrames(x, y);
        }
        catch
        {
            x?.Dispose();
            y?.Dispose();
            throw;
        }
    }

    private static FrameFormatException MissingX() => new("Cannot predict without \"X\"", "message");

    private static DataFrame? ReadFrame(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.StartArray => ReadList(ref reader, name),
        JsonTokenType.StartObject => ReadObject(ref reader, name),
        _ => throw new FrameFormatException($"\"{name}\" must be a frame (a JSON object or list), not {Describe(reader.TokenType)}.", "error"),
    };

    private static DataFrame ReadList(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        using var builder = new FrameBuilder(MaxCells);
        var rows = 0;
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                return Empty();
            case JsonTokenType.StartArray:
                // List of rows; ragged rows are padded with NaN, as pandas does.
                do
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new FrameFormatException($"\"{name}\" is a list of rows, but item {rows} is {Describe(reader.TokenType)}, not a list.", "error");
                    }

                    var column = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        Set(builder, rows, column, ReadValue(ref reader, name, rows, column));
                        column++;
                    }

                    Ensure(builder, rows + 1, column);
                    rows++;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);

                return Build(builder, PositionalNames(builder.Columns), positional: true, FrameIndex.Range(rows));
            case JsonTokenType.StartObject:
                {
                    // List of records: columns in order of first appearance, NaN where a record lacks one.
                    var columns = new Dictionary<string, int>(StringComparer.Ordinal);
                    var names = new List<string>();
                    do
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new FrameFormatException($"\"{name}\" is a list of records, but item {rows} is {Describe(reader.TokenType)}, not an object.", "error");
                        }

                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var columnName = Text(ref reader);
                            if (!columns.TryGetValue(columnName, out var column))
                            {
                                column = names.Count;
                                columns.Add(columnName, column);
                                names.Add(columnName);
                            }

                            reader.Read();
                            Set(builder, rows, column, ReadValue(ref reader, name, rows, columnName));
                        }

                        Ensure(builder, rows + 1, names.Count);
                        rows++;
                    }
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);

                    return Build(builder, [.. names], positional: false, FrameIndex.Range(rows));
                }

            default:
                // A flat list is one column (pandas labels it 0).
                do
                {
                    Set(builder, rows, 0, ReadValue(ref reader, name, rows, 0));
                    rows++;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray);

                return Build(builder, PositionalNames(1), positional: true, FrameIndex.Range(rows));
        }
    }

    private static DataFrame ReadObject(ref Utf8JsonReader reader, string name)
    {
        using var builder = new FrameBuilder(MaxCells);
        using var keys = new IndexKeyTable();
        var names = new List<string>();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var shape = JsonTokenType.None; // StartArray: column → list; StartObject: column → {index: value}
        var listLength = -1;
        var firstDictColumn = true;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var columnName = Text(ref reader);
            if (columns.TryGetValue(columnName, out var column))
            {
                builder.ClearColumn(column); // a repeated name keeps the last column, as a Python dict does
            }
            else
            {
                column = names.Count;
                columns.Add(columnName, column);
                names.Add(columnName);
            }

            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    {
                        if (shape == JsonTokenType.StartObject)
                        {
                            throw MixedShapes(name);
                        }

                        shape = JsonTokenType.StartArray;
                        var row = 0;
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            Set(builder, row, column, ReadValue(ref reader, name, row, columnName));
                            row++;
                        }

                        if (listLength >= 0 && row != listLength)
                        {
                            throw new FrameFormatException($"\"{name}\": all column lists must have the same length (column '{columnName}' has {row} values, earlier columns {listLength}).", "error");
                        }

                        listLength = row;
                        break;
                    }

                case JsonTokenType.StartObject:
                    {
                        if (shape == JsonTokenType.StartArray)
                        {
                            throw MixedShapes(name);
                        }

                        shape = JsonTokenType.StartObject;
                        var position = 0;
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            // Columns after the first usually repeat the first one's keys in order: compare
                            // in place; look up (or add) only keys that differ.
                            int row;
                            if (!firstDictColumn && position < keys.Count && reader.ValueTextEquals(keys[position]))
                            {
                                row = position;
                            }
                            else
                            {
                                row = keys.GetOrAdd(reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(Text(ref reader)) : reader.ValueSpan);
                            }

                            reader.Read();
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                throw MultiLevel(ref reader, columnName, keys, row);
                            }

                            Set(builder, row, column, ReadValue(ref reader, name, row, columnName));
                            position++;
                        }

                        firstDictColumn = false;
                        break;
                    }

                default:
                    throw new FrameFormatException($"\"{name}\": column '{columnName}' holds a single value ({Describe(reader.TokenType)}); each column must be a list or an {{index: value}} object.", "error");
            }
        }

        if (shape == JsonTokenType.StartArray || names.Count == 0)
        {
            Ensure(builder, Math.Max(listLength, 0), names.Count);
            return Build(builder, [.. names], positional: false, FrameIndex.Range(Math.Max(listLength, 0)));
        }

        Ensure(builder, keys.Count, names.Count);
        return BuildIndexed(builder, [.. names], keys, name);
    }

    /// <summary>Parses the index keys (timestamps, else integers) and lays the rows out sorted by index.</summary>
    private static DataFrame BuildIndexed(FrameBuilder builder, string[] names, IndexKeyTable keys, string name)
    {
        var count = keys.Count;
        var values = PooledArrays.Rent<long>(Math.Max(1, count));
        short[]? offsets = PooledArrays.Rent<short>(Math.Max(1, count));
        var sortKeys = PooledArrays.Rent<long>(Math.Max(1, count));
        int[]? order = null;
        var owned = true;
        try
        {
            var kind = FrameIndexKind.Timestamp;
            int aware = 0, naive = 0;
            for (var row = 0; row < count; row++)
            {
                if (!IsoTimestamp.TryParse(keys[row], out var clock, out var offset))
                {
                    kind = FrameIndexKind.Integer;
                    break;
                }

                values[row] = clock.Ticks;
                if (offset is { } minutes)
                {
                    aware++;
                    offsets[row] = (short)minutes;
                    sortKeys[row] = clock.Ticks - (minutes * TimeSpan.TicksPerMinute);
                }
                else
                {
                    naive++;
                    sortKeys[row] = clock.Ticks;
                }
            }

            if (kind == FrameIndexKind.Timestamp && aware > 0 && naive > 0)
            {
                throw new FrameFormatException($"\"{name}\": the index mixes time-zone aware and naive timestamps, which cannot be ordered.", "error");
            }

            if (kind == FrameIndexKind.Integer)
            {
                for (var row = 0; row < count; row++)
                {
                    if (!PythonInt.TryParse(keys[row], out var integer))
                    {
                        throw new FrameFormatException($"\"{name}\": index key '{Encoding.UTF8.GetString(keys[row])}' is neither an ISO 8601 timestamp nor an integer.", "error");
                    }

                    values[row] = integer;
                    sortKeys[row] = integer;
                }
            }

            if (kind == FrameIndexKind.Integer || naive > 0)
            {
                PooledArrays.Return(offsets);
                offsets = null;
            }

            // gordo sorts the rows by index; requests are nearly always sorted already.
            var sorted = true;
            for (var row = 1; row < count && sorted; row++)
            {
                sorted = sortKeys[row - 1] <= sortKeys[row];
            }

            if (!sorted)
            {
                order = PooledArrays.Rent<int>(count);
                for (var row = 0; row < count; row++)
                {
                    order[row] = row;
                }

                // Ties keep their original order (a stable sort).
                var keysForSort = sortKeys;
                Array.Sort(order, 0, count, Comparer<int>.Create((a, b) =>
                {
                    var c = keysForSort[a].CompareTo(keysForSort[b]);
                    return c != 0 ? c : a.CompareTo(b);
                }));
                Permute(values, order, count);
                if (offsets is not null)
                {
                    Permute(offsets, order, count);
                }
            }

            var index = kind == FrameIndexKind.Integer
                ? FrameIndex.Integers(values, count)
                : FrameIndex.Timestamps(values, offsets, count);
            owned = false;
            return Build(builder, names, positional: false, index, order is null ? [] : order.AsSpan(0, count));
        }
        finally
        {
            PooledArrays.Return(sortKeys);
            if (order is not null)
            {
                PooledArrays.Return(order);
            }

            if (owned)
            {
                PooledArrays.Return(values);
                if (offsets is not null)
                {
                    PooledArrays.Return(offsets);
                }
            }
        }
    }

    private static void Permute<T>(T[] items, int[] order, int count)
    {
        var copy = PooledArrays.Rent<T>(count);
        items.AsSpan(0, count).CopyTo(copy);
        for (var row = 0; row < count; row++)
        {
            items[row] = copy[order[row]];
        }

        PooledArrays.Return(copy);
    }

    private static DataFrame Build(FrameBuilder builder, string[] names, bool positional, FrameIndex index, ReadOnlySpan<int> order = default)
    {
        try
        {
            return new DataFrame(names, positional, index, builder.ToRowMajor(order));
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    private static DataFrame Empty() => new([], positionalColumns: true, FrameIndex.Range(0), DataFrame.RentValues(0, 0));

    private static string[] PositionalNames(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = i < s_positionalNames.Length ? s_positionalNames[i] : i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static void Set(FrameBuilder builder, int row, int column, double value)
    {
        if (((long)(row + 1) * (column + 1)) > MaxCells)
        {
            throw TooLarge();
        }

        builder.Set(row, column, value);
    }

    private static void Ensure(FrameBuilder builder, int rows, int columns)
    {
        if ((long)rows * columns > MaxCells)
        {
            throw TooLarge();
        }

        builder.EnsureShape(rows, columns);
    }

    private static FrameFormatException TooLarge() =>
        new($"The frame would hold more than {MaxCells} cells (rows × columns); send it in smaller batches.", "error");

    private static double ReadValue(ref Utf8JsonReader reader, string name, int row, string column) =>
        TryReadValue(ref reader, out var value) ? value : throw BadValue(ref reader, name, row, column);

    private static double ReadValue(ref Utf8JsonReader reader, string name, int row, int column) =>
        TryReadValue(ref reader, out var value) ? value : throw BadValue(ref reader, name, row, column.ToString(CultureInfo.InvariantCulture));

    private static bool TryReadValue(ref Utf8JsonReader reader, out double value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out value))
                {
                    // Out of double's range: Python reads it as ±inf, and so do we.
                    value = double.Parse(reader.ValueSpan, NumberStyles.Float, CultureInfo.InvariantCulture);
                }

                return true;
            case JsonTokenType.Null:
                value = double.NaN;
                return true;
            case JsonTokenType.String:
                return TryParseNumericString(reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(Text(ref reader)) : reader.ValueSpan, out value);
            default:
                value = 0;
                return false;
        }
    }

    private static bool TryParseNumericString(ReadOnlySpan<byte> text, out double value)
    {
        var trimmed = text.Trim(" \t\n\r"u8);
        if (trimmed.SequenceEqual("NaN"u8) || trimmed.SequenceEqual("nan"u8))
        {
            value = double.NaN;
            return true;
        }

        if (trimmed.SequenceEqual("Infinity"u8) || trimmed.SequenceEqual("inf"u8) || trimmed.SequenceEqual("+inf"u8))
        {
            value = double.PositiveInfinity;
            return true;
        }

        if (trimmed.SequenceEqual("-Infinity"u8) || trimmed.SequenceEqual("-inf"u8))
        {
            value = double.NegativeInfinity;
            return true;
        }

        return double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && trimmed.Length > 0;
    }

    private static FrameFormatException BadValue(ref Utf8JsonReader reader, string name, int row, string column)
    {
        var found = reader.TokenType == JsonTokenType.String ? $"the string \"{Truncate(Text(ref reader))}\"" : Describe(reader.TokenType);
        return new FrameFormatException($"\"{name}\": values must be numbers or null, but row {row} of column '{Truncate(column)}' is {found}.", "error");
    }

    private static FrameFormatException MixedShapes(string name) =>
        new($"\"{name}\" mixes columns given as lists with columns given as {{index: value}} objects.", "error");

    /// <summary>gordo's 400 for a two-level dict (pandas MultiIndex columns), listing the columns found.</summary>
    private static FrameFormatException MultiLevel(ref Utf8JsonReader reader, string outer, IndexKeyTable keys, int row)
    {
        var pairs = new List<string>();
        void Add(string a, string b)
        {
            if (pairs.Count < 50)
            {
                pairs.Add(Json.PythonRepr.Tuple(a, b));
            }
        }

        Add(outer, Encoding.UTF8.GetString(keys[row]));
        reader.Skip();
        // The rest of this column, then every following column.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Add(outer, Text(ref reader));
            reader.Skip();
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var column = Text(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    Add(column, Text(ref reader));
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return new FrameFormatException($"Server does not support multi-level dataframes at this time: [{string.Join(", ", pairs)}]", "message");
    }

    /// <summary>
    /// A string token as text. Utf8JsonReader checks a string's bytes only when it converts them, and
    /// then throws InvalidOperationException (a 500 if it escaped): invalid UTF-8 inside a name, key or
    /// value, or an escaped lone surrogate (<c>\ud800</c>), is the client's error, a 400 that says so.
    /// </summary>
    private static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var where = reader.TokenType == JsonTokenType.PropertyName ? "A name (column or index key)" : "A string value";
            throw new FrameFormatException($"{where} at byte {reader.TokenStartIndex} {NotTextReason}", "error");
        }
    }

    private const string NotTextReason = "is not valid text: it holds invalid UTF-8 or an escaped lone surrogate (\\ud800-\\udfff without its pair).";

    private const string NotText = "The body holds a name, key or string that " + NotTextReason;

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.StartObject => "an object",
        _ => token.ToString(),
    };
}
