using Gordo.Frames.Json;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gordo.Api.Hosting;

/// <summary>
/// <c>EXPECTED_MODELS</c> parsed as YAML, as gordo does (its deployment template writes a flow list
/// with a trailing comma, <c>["m1","m2",]</c>, which strict JSON rejects), rendered once as JSON.
/// Plain scalars resolve as PyYAML resolves them: null, booleans, integers, floats, else strings.
/// </summary>
public static partial class ExpectedModels
{
    public static bool TryRender(string? yaml, out byte[] json, out string? error)
    {
        error = null;
        json = "[]"u8.ToArray();
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return true;
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, GordoJson.WriterOptions))
            {
                if (stream.Documents.Count == 0)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    Write(writer, stream.Documents[0].RootNode);
                }
            }

            json = buffer.ToArray();
            return true;
        }
        catch (YamlException ex)
        {
            error = $"EXPECTED_MODELS is not valid YAML: {ex.Message}";
            return false;
        }
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping)
                {
                    writer.WritePropertyName(key is YamlScalarNode k ? k.Value ?? "null" : key.ToString());
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            writer.WriteStringValue(value);
            return;
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            writer.WriteNullValue();
        }
        else if (value is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON")
        {
            writer.WriteBooleanValue(true);
        }
        else if (value is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF")
        {
            writer.WriteBooleanValue(false);
        }
        else if (IntegerPattern().IsMatch(value) && long.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            writer.WriteNumberValue(integer);
        }
        else if (FloatPattern().IsMatch(value) && double.TryParse(value.Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$")]
    private static partial Regex FloatPattern();
}
