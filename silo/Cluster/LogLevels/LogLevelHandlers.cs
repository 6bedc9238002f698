using System.Text;
using System.Text.Json;

namespace Gordo.Silo.Cluster;

/// <summary>The control operations behind the cluster-wide log level routes.</summary>
public static class LogLevelHandlers
{
    public const string Get = "log-level-get";
    public const string Set = "log-level-set";

    /// <summary>Payload: the category (UTF-8). Answer: <see cref="LogLevelReport"/>.</summary>
    public sealed class GetHandler(LogLevels levels) : ISiloControlHandler
    {
        public string Operation => Get;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var category = Encoding.UTF8.GetString(payload.Span);
            if (!LogLevels.IsValidCategory(category))
            {
                throw new ArgumentException($"'{category}' is not a logging category.");
            }

            return ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(new LogLevelReport(category, levels.Effective(category).ToString()), ControlJsonContext.Default.LogLevelReport));
        }
    }

    /// <summary>Payload: a <see cref="LogLevelReport"/> with the level to set. Answer: the effective level after.</summary>
    public sealed class SetHandler(LogLevels levels) : ISiloControlHandler
    {
        public string Operation => Set;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var request = JsonSerializer.Deserialize(payload.Span, ControlJsonContext.Default.LogLevelReport);
            if (request is null || !LogLevels.IsValidCategory(request.Name) || !LogLevels.TryParseLevel(request.Level, out var level))
            {
                throw new ArgumentException("A category and a valid level are required.");
            }

            levels.Apply(request.Name, level);
            return ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(new LogLevelReport(request.Name, levels.Effective(request.Name).ToString()), ControlJsonContext.Default.LogLevelReport));
        }
    }
}
