using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gordo.Runtime;

/// <summary>Applies the cluster's desired log levels when the process starts, so that every process
/// (including one started after the change) converges on them.</summary>
public sealed partial class LogLevelSync(ILogLevelStore store, RuntimeLogLevels levels, ILogger<LogLevelSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var desired = await store.GetAllAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (desired.Count > 0)
            {
                levels.Apply(desired);
                LogApplied(logger, string.Join(", ", desired.Select(kv => $"{kv.Key}={kv.Value}")));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogUnavailable(logger, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Applied the cluster's log levels: {Levels}")]
    private static partial void LogApplied(ILogger logger, string levels);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Could not read the cluster's log levels ({Reason}); keeping the configured ones")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
