using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>
/// Joins the cluster once the host has started (the silo port is listening by then), and on shutdown
/// first announces that the silo is leaving (no new grain is placed on it), then deactivates its
/// grains, then leaves the membership table. On a gateway it only follows the membership.
/// </summary>
public sealed partial class SiloLifecycle(
    IClusterMembership membership,
    IServiceProvider services,
    IOptions<GrainCollectionOptions> options,
    ILogger<SiloLifecycle> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await membership.StartAsync(cancellationToken).ConfigureAwait(false);
        LogStarted(logger, membership.LocalSilo?.ToString() ?? "(gateway)", membership.CurrentView.ToString());
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => membership.LeaveAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (services.GetService<Catalog>() is { } catalog)
            {
                var deactivated = await catalog.DeactivateAllAsync(DeactivationReason.ShuttingDown)
                    .WaitAsync(options.Value.DeactivationTimeout, cancellationToken).ConfigureAwait(false);
                LogStopped(logger, deactivated);
            }
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

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Silo {Silo} started; membership {View}")]
    private static partial void LogStarted(ILogger logger, string silo, string view);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Silo stopped after deactivating {Count} activations")]
    private static partial void LogStopped(ILogger logger, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "Deactivations did not finish within {Timeout}; stopping anyway")]
    private static partial void LogDeactivationTimedOut(ILogger logger, TimeSpan timeout);
}
