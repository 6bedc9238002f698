using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Gordo.Silo.Cluster;

/// <summary>Reads and changes this process's log levels while it runs.</summary>
public sealed class LogLevels(LogLevelConfigurationSource source, ILoggerFactory loggers)
{
    /// <summary>The level names accepted, in order of severity.</summary>
    public static IReadOnlyList<string> LevelNames { get; } = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    private static readonly SearchValues<char> s_categoryChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool TryParseLevel(string? text, out LogLevel level)
    {
        level = LogLevel.None;
        var name = LevelNames.FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out level);
    }

    /// <summary>A logging category: "Default", or a dotted name of letters, digits, '_' and '-'.</summary>
    public static bool IsValidCategory(string? category) =>
        !string.IsNullOrEmpty(category) && category.Length <= 256 && !category.AsSpan().ContainsAnyExcept(s_categoryChars)
        && category[0] != '.' && category[^1] != '.' && !category.Contains("..", StringComparison.Ordinal);

    public void Apply(string category, LogLevel level) => Apply([new KeyValuePair<string, LogLevel>(category, level)]);

    public void Apply(IEnumerable<KeyValuePair<string, LogLevel>> levels) =>
        source.Provider.SetLevels(levels.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value.ToString())));

    /// <summary>The lowest level a logger of <paramref name="category"/> writes now (None when it writes nothing).</summary>
    public LogLevel Effective(string category)
    {
        var logger = loggers.CreateLogger(category == "Default" ? "Gordo.Default.Probe" : category);
        for (var level = LogLevel.Trace; level < LogLevel.None; level++)
        {
            if (logger.IsEnabled(level))
            {
                return level;
            }
        }

        return LogLevel.None;
    }
}
