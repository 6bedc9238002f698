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

    /// <summary>
    /// A histogram bound as the <c>le</c> label value, written as Python's prometheus_client (gordo's
    /// exporter) writes it: <c>0.005</c>, <c>1.0</c>, <c>10.0</c>, <c>+Inf</c>. Queries and recording rules
    /// that match <c>le="1.0"</c> keep working.
    /// </summary>
    public static string BucketBound(double bound)
    {
        if (double.IsInfinity(bound) || double.IsNaN(bound))
        {
            return Number(bound);
        }

        // Python's repr(float): shortest round-trip digits, always with a fraction or an exponent.
        var text = bound.ToString("R", CultureInfo.InvariantCulture);
        if (text.Contains('E', StringComparison.Ordinal))
        {
            var mantissaEnd = text.IndexOf('E', StringComparison.Ordinal);
            var exponent = int.Parse(text.AsSpan(mantissaEnd + 1), CultureInfo.InvariantCulture);
            return text[..mantissaEnd] + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        text = text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";

        // floatToGoString: Go switches to an exponent sooner than Python (1234567.0 -> 1.234567e+06).
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (bound > 0 && dot > 6)
        {
            var mantissa = (text[0] + "." + text[1..dot] + text[(dot + 1)..]).TrimEnd('0', '.');
            return mantissa + "e+0" + (dot - 1).ToString(CultureInfo.InvariantCulture);
        }

        return text;
    }

    /// <summary>
    /// The suffix OpenTelemetry's Prometheus exporters add for a unit (<c>s</c> → <c>_seconds</c>, <c>By</c>
    /// → <c>_bytes</c>), unless the name already ends with it.
    /// </summary>
    public static string UnitSuffix(string name, string? unit)
    {
        var suffix = unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        return suffix.Length == 0 || MetricName(name).EndsWith(suffix, StringComparison.Ordinal) ? string.Empty : suffix;
    }

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        if (name.Length > 0 && char.IsAsciiDigit(name[0]))
        {
            builder.Append('_'); // a name cannot start with a digit: keep the digit, as OpenTelemetry's exporters do
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            builder.Append(valid ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }
}
