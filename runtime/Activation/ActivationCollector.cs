using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>Deactivates activations that have been idle for the collection age, every collection quantum.</summary>
public sealed partial class ActivationCollector(Catalog catalog, IOptions<GrainCollectionOptions> options, ILogger<ActivationCollector> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Look at least twice per collection age, so an idle grain goes within 1.5 ages at most.
        var period = TimeSpan.FromTicks(Math.Min(settings.CollectionQuantum.Ticks, Math.Max(settings.CollectionAge.Ticks / 2, TimeSpan.TicksPerMillisecond * 10)));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var collected = await catalog.CollectIdleAsync(settings.CollectionAge).ConfigureAwait(false);
                    if (collected > 0)
                    {
                        LogCollected(logger, collected, settings.CollectionAge);
                    }
                }
                catch (Exception ex)
                {
                    LogCollectionFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Collected {Count} activations idle for {Age}")]
    private static partial void LogCollected(ILogger logger, int count, TimeSpan age);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Idle collection failed")]
    private static partial void LogCollectionFailed(ILogger logger, Exception exception);
}
