using System.Globalization;
using System.Text.Json;
using Gordo.GrainInterfaces;

namespace Gordo.Bench.Micro;

/// <summary>
/// The baselines the issue measures Gordo's codecs against: what a careful first version would write
/// with System.Text.Json's reader and writer and no further tricks. Decode reads names and keys as
/// strings, parses each distinct key with <see cref="DateTimeOffset.Parse(string, IFormatProvider)"/>
/// and collects cells in dictionaries; encode formats each index key once as a string and writes every
/// cell with <see cref="Utf8JsonWriter.WriteNumber(string, double)"/>.
/// </summary>
internal static class StraightforwardFrameJson
{
    /// <summary>Decodes <c>{"X": {column: {key: value}}, "y": ...}</c> into row-major X and y, rows sorted by time.</summary>
    public static (double[] X, double[] Y, DateTimeOffset[] Index) Decode(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        double[] x = [], y = [];
        DateTimeOffset[] index = [];
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var (values, keys) = ReadFrame(ref reader);
            if (name == "X")
            {
                x = values;
                index = keys;
            }
            else
            {
                y = values;
            }
        }

        return (x, y, index);
    }

    private static (double[] Values, DateTimeOffset[] Index) ReadFrame(ref Utf8JsonReader reader)
    {
        var columns = new List<Dictionary<string, double>>();
        var keys = new Dictionary<string, DateTimeOffset>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.GetString(); // the column name
            reader.Read();
            var column = new Dictionary<string, double>();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                column[key] = reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();
                if (!keys.ContainsKey(key))
                {
                    keys[key] = DateTimeOffset.Parse(key, CultureInfo.InvariantCulture);
                }
            }

            columns.Add(column);
        }

        var ordered = keys.OrderBy(k => k.Value).ToArray();
        var values = new double[ordered.Length * columns.Count];
        for (var r = 0; r < ordered.Length; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                values[(r * columns.Count) + c] = columns[c].TryGetValue(ordered[r].Key, out var v) ? v : double.NaN;
            }
        }

        return (values, ordered.Select(k => k.Value).ToArray());
    }

    /// <summary>Encodes gordo's <c>{"data": {group: {column: {key: value}}}, "time-seconds": ..., "revision": ...}</c>.</summary>
    public static void Encode(Utf8JsonWriter writer, ResultFrame frame, string revision)
    {
        var keys = new string[frame.RowCount];
        var starts = new string[frame.RowCount];
        var ends = new string[frame.RowCount];
        for (var r = 0; r < keys.Length; r++)
        {
            var clock = new DateTimeOffset(frame.Index.GetClock(r), frame.Index.GetOffset(r) ?? TimeSpan.Zero);
            keys[r] = clock.ToString("yyyy-MM-dd HH:mm:sszzz", CultureInfo.InvariantCulture);
            starts[r] = clock.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            ends[r] = (clock + frame.Resolution!.Value).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        }

        writer.WriteStartObject();
        writer.WriteStartObject("data");
        foreach (var group in frame.Groups.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            writer.WriteStartObject(group.Name);
            for (var c = 0; c < group.SubNames.Length; c++)
            {
                writer.WriteStartObject(group.IsSingleColumn ? group.Name : group.SubNames[c]);
                var column = group.Column(c);
                for (var r = 0; r < keys.Length; r++)
                {
                    if (double.IsFinite(column[r]))
                    {
                        writer.WriteNumber(keys[r], column[r]);
                    }
                    else
                    {
                        writer.WriteNull(keys[r]);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        foreach (var (name, times) in new[] { ("start", starts), ("end", ends) })
        {
            writer.WriteStartObject(name);
            writer.WriteStartObject(name);
            for (var r = 0; r < keys.Length; r++)
            {
                writer.WriteString(keys[r], times[r]);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteString("time-seconds", "0.0012");
        writer.WriteString("revision", revision);
        writer.WriteEndObject();
    }
}
