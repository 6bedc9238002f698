using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>Joins the cluster when the host starts; on shutdown deactivates every grain, then leaves.</summary>
public sealed partial class SiloLifecycle(
    IClusterMembership membership,
    Catalog catalog,
    IOptions<GrainCollectionOptions> options,
    ILogger<SiloLifecycle> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await membership.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, membership.LocalSilo?.ToString() ?? "(gateway)", membership.CurrentView.ToString());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            var deactivated = await catalog.DeactivateAllAsync(DeactivationReason.ShuttingDown)
                .WaitAsync(options.Value.DeactivationTimeout, cancellationToken).ConfigureAwait(false);
            LogStopped(logger, deactivated);
        }
        catch (TimeoutException)
        {
            LogDeactivationTimedOut(logger, options.Value.DeactivationTimeout);
        }
        finally
        {
            await membership.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Silo {Silo} started; membership {View}")]
    private static partial void LogStarted(ILogger logger, string silo, string view);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Silo stopped after deactivating {Count} activations")]
    private static partial void LogStopped(ILogger logger, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Deactivations did not finish within {Timeout}; stopping anyway")]
    private static partial void LogDeactivationTimedOut(ILogger logger, TimeSpan timeout);
}
