using System.Globalization;

namespace Gordo.ModelBuilder.Cli;

/// <summary>A small <c>--name value</c> / <c>--flag</c> argument reader that names what it did not understand.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CommandLine(IEnumerable<string> arguments, IReadOnlySet<string> flags)
    {
        using var e = arguments.GetEnumerator();
        while (e.MoveNext())
        {
            var argument = e.Current;
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{argument}'.");
            }

            var name = argument[2..];
            if (flags.Contains(name))
            {
                _options[name] = null;
            }
            else if (e.MoveNext())
            {
                _options[name] = e.Current;
            }
            else
            {
                throw new UsageException($"--{name} needs a value.");
            }
        }
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public string Required(string name) => String(name) ?? throw new UsageException($"--{name} is required.");

    public int? Int(string name) => String(name) is { } v
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new UsageException($"--{name} takes a whole number, not '{v}'.")
        : null;

    public double? Double(string name) => String(name) is { } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new UsageException($"--{name} takes a number, not '{v}'.")
        : null;

    public string[]? List(string name) => String(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Fails on any option that no one asked for (a typo would otherwise be ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }
}
