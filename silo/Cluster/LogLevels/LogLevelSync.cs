using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Applies the cluster's stored log levels when the process starts and then every
/// <see cref="LogLevelSyncOptions.Period"/>, so every process converges on them by itself: one started
/// after a change, one frozen while it was broadcast, one started while Redis was down.
/// </summary>
public sealed partial class LogLevelSync(ILogLevelStore store, LogLevels levels, IOptions<LogLevelSyncOptions> options, ILogger<LogLevelSync> logger) : BackgroundService
{
    private IReadOnlyDictionary<string, LogLevel> _applied = new Dictionary<string, LogLevel>();
    private bool _warned;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Period);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await SyncAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            var desired = await store.GetAllAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            _warned = false;
            var changed = desired.Where(kv => !_applied.TryGetValue(kv.Key, out var level) || level != kv.Value).ToList();
            if (changed.Count > 0)
            {
                levels.Apply(changed);
                LogApplied(logger, string.Join(", ", changed.Select(kv => $"{kv.Key}={kv.Value}")));
            }

            _applied = desired;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_warned)
            {
                _warned = true;
                LogUnavailable(logger, ex.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Information, Message = "Applied the cluster's log levels: {Levels}")]
    private static partial void LogApplied(ILogger logger, string levels);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Could not read the cluster's log levels ({Reason}); keeping the current ones and trying again")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
