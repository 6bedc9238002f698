using System.Text.Json;

namespace Gordo.Frames.Json;

/// <summary>
/// Re-writes a JSON value with object keys sorted at every level, as Flask's <c>jsonify</c>
/// (<c>sort_keys=True</c>) does. Numbers are copied as written, so nothing is re-rounded.
/// </summary>
public static class SortedJsonWriter
{
    public static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>Parses JSON that may hold Python's bare NaN/Infinity tokens (read as null / strings).</summary>
    public static JsonDocument ParseLenient(byte[] utf8)
    {
        var options = new JsonDocumentOptions { MaxDepth = 256 };
        try
        {
            return JsonDocument.Parse(utf8, options);
        }
        catch (JsonException) when (PythonJsonTokens.Rewrite(utf8) is { } rewritten)
        {
            return JsonDocument.Parse(rewritten, options);
        }
    }
}
