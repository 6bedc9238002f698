using System.Globalization;
using System.Text;
using System.Text.Json;
using Gordo.ModelBuilder.Data;

namespace Gordo.Tests.Infrastructure;

/// <summary>Request bodies as gordo clients send them: <c>{"X": df.to_dict(), "y": df.to_dict()}</c>,
/// escaped as Python's json module escapes (a "+" stays a "+").</summary>
public static class GordoPayload
{
    /// <summary>pandas <c>str(Timestamp)</c> of a UTC time.</summary>
    public static string Key(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00";

    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+00:00";

    /// <summary>Rows [start, start+count) of the data, X = every tag, y = the targets (or none).</summary>
    public static string FromDataset(SensorDataset data, int start, int count, string[]? targets)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Gordo.Frames.Json.GordoJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("X");
            WriteColumns(writer, data, start, count, data.Tags);
            if (targets is not null)
            {
                writer.WritePropertyName("y");
                WriteColumns(writer, data, start, count, targets);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteColumns(Utf8JsonWriter writer, SensorDataset data, int start, int count, string[] columns)
    {
        writer.WriteStartObject();
        foreach (var column in columns)
        {
            var c = Array.IndexOf(data.Tags, column);
            writer.WriteStartObject(column);
            for (var r = start; r < start + count; r++)
            {
                writer.WriteNumber(Key(data.TimestampsUtc[r]), data.Values[r, c]);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
