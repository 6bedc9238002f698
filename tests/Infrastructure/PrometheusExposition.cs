using System.Globalization;
using System.Text;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// A strict, independent reader of the Prometheus text exposition format (0.0.4), for checking what
/// <c>/metrics</c> writes: every line is a HELP, a TYPE or a sample; a family's TYPE comes before its
/// samples and appears once; names and label names are valid; label values are correctly escaped; no
/// series repeats; histograms have cumulative buckets ending in <c>+Inf</c> equal to <c>_count</c>.
/// Any violation throws <see cref="FormatException"/> naming the line.
/// </summary>
public sealed class PrometheusExposition
{
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);
    private readonly List<Sample> _samples = [];

    public IReadOnlyList<Sample> Samples => _samples;

    public IReadOnlyDictionary<string, string> Types => _types;

    public static PrometheusExposition Parse(string text)
    {
        var exposition = new PrometheusExposition();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition does not end with a line feed.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var helped = new HashSet<string>(StringComparer.Ordinal);
        var sampled = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length - 1; n++)
        {
            var line = lines[n];
            var where = $"line {n + 1} '{line}'";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = space < 0 ? rest : rest[..space];
                if (!IsMetricName(name))
                {
                    throw new FormatException($"Invalid metric name in {where}.");
                }

                if (sampled.Contains(name))
                {
                    throw new FormatException($"{name} is described after its samples or twice ({where}).");
                }

                if (line[2] == 'H')
                {
                    if (!helped.Add(name))
                    {
                        throw new FormatException($"Second HELP for {name} ({where}).");
                    }

                    ReadHelp(space < 0 ? string.Empty : rest[(space + 1)..], where);
                }
                else
                {
                    var type = space < 0 ? string.Empty : rest[(space + 1)..];
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                    {
                        throw new FormatException($"Unknown type in {where}.");
                    }

                    if (!exposition._types.TryAdd(name, type))
                    {
                        throw new FormatException($"Second TYPE for {name} ({where}).");
                    }
                }

                if (current != name && current is not null)
                {
                    sampled.Add(current);
                }

                current = name;
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var sample = ReadSample(line, where);
            var family = FamilyOf(sample.Name, exposition._types);
            if (family != current)
            {
                if (current is not null)
                {
                    sampled.Add(current);
                }

                if (sampled.Contains(family))
                {
                    throw new FormatException($"The samples of {family} are not together ({where}).");
                }

                current = family;
            }

            if (!seen.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}"))
            {
                throw new FormatException($"Duplicate series in {where}.");
            }

            exposition._samples.Add(sample);
        }

        exposition.CheckHistograms();
        return exposition;
    }

    /// <summary>The value of the one sample with this name and exactly these labels (null when there is none).</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var found = _samples.Where(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0].Value,
            _ => throw new InvalidOperationException($"{found.Count} samples match {name}."),
        };
    }

    public IEnumerable<Sample> Named(string name) => _samples.Where(s => s.Name == name);

    private void CheckHistograms()
    {
        foreach (var (family, _) in _types.Where(t => t.Value == "histogram"))
        {
            var groups = _samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").Select(l => l.Key + "=" + l.Value)));
            foreach (var group in groups)
            {
                var buckets = group.ToList();
                var rest = buckets[0].Labels.Where(l => l.Key != "le").Select(l => (l.Key, l.Value)).ToArray();
                if (buckets[^1].Labels["le"] != "+Inf")
                {
                    throw new FormatException($"{family}{{{group.Key}}} has no +Inf bucket last.");
                }

                for (var i = 1; i < buckets.Count; i++)
                {
                    var previous = ParseValue(buckets[i - 1].Labels["le"]);
                    var bound = ParseValue(buckets[i].Labels["le"]);
                    if (bound <= previous || buckets[i].Value < buckets[i - 1].Value)
                    {
                        throw new FormatException($"{family}{{{group.Key}}} buckets are not increasing and cumulative at le={buckets[i].Labels["le"]}.");
                    }
                }

                var count = Value(family + "_count", rest) ?? throw new FormatException($"{family}{{{group.Key}}} has no _count.");
                _ = Value(family + "_sum", rest) ?? throw new FormatException($"{family}{{{group.Key}}} has no _sum.");
                if (count != buckets[^1].Value)
                {
                    throw new FormatException($"{family}{{{group.Key}}}: +Inf bucket {buckets[^1].Value} differs from _count {count}.");
                }
            }
        }
    }

    private static string FamilyOf(string sample, Dictionary<string, string> types)
    {
        if (types.ContainsKey(sample))
        {
            return sample;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return sample[..^suffix.Length];
            }
        }

        return sample;
    }

    private static Sample ReadSample(string line, string where)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        if (!IsMetricName(name))
        {
            throw new FormatException($"Invalid metric name in {where}.");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                if (!IsLabelName(label) || line[i + 1] != '"')
                {
                    throw new FormatException($"Invalid label '{label}' in {where}.");
                }

                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"Invalid escape in {where}."),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"Repeated label {label} in {where}.");
                }

                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException($"Expected , or }} in {where}.");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"No value in {where}.");
        }

        var fields = line[(i + 1)..].Split(' ');
        if (fields.Length > 2 || (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"Unexpected text after the value in {where}.");
        }

        return new Sample(name, labels, ParseValue(fields[0], where));
    }

    private static void ReadHelp(string help, string where)
    {
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\' && (i + 1 >= help.Length || help[++i] is not ('\\' or 'n')))
            {
                throw new FormatException($"Invalid escape in HELP at {where}.");
            }
        }
    }

    private static double ParseValue(string text, string where = "")
    {
        return text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"Invalid number '{text}' {where}."),
        };
    }

    private static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>One sample line.</summary>
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
