using System.Globalization;
using System.Text;

namespace Gordo.Silo;

/// <summary>The Prometheus text exposition format (version 0.0.4): names, label escaping, numbers.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>A valid metric name: <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> (other characters, such as dots, become underscores).</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A valid label name: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>Label values escape backslash, double quote and newline.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>HELP text escapes backslash and newline.</summary>
    public static string EscapeHelp(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ when value == Math.Floor(value) && Math.Abs(value) < 1e15 => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            builder.Append(valid ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
