using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gordo.Runtime;

/// <summary>
/// When the membership view changes, deactivates the activations this silo no longer owns, so that a
/// grain lives only where placement puts it (a silo that joins takes its share; the old owners drop theirs).
/// </summary>
public sealed partial class PlacementGuard(IClusterMembership membership, IPlacementDirector placement, Catalog catalog, ILogger<PlacementGuard> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        membership.ViewChanged += OnViewChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        membership.ViewChanged -= OnViewChanged;
        return Task.CompletedTask;
    }

    private void OnViewChanged(MembershipView view) => _ = DropForeignAsync(view);

    private async Task DropForeignAsync(MembershipView view)
    {
        try
        {
            var local = membership.LocalSilo;
            var leaving = view.Members.Any(m => m.Address == local && m.Status == SiloStatus.ShuttingDown);
            var reason = leaving ? DeactivationReason.ShuttingDown : DeactivationReason.PlacementChanged;
            var dropped = await catalog.DeactivateAsync(id => placement.SelectOwner(id, view) != local, reason).ConfigureAwait(false);
            if (dropped > 0 && leaving)
            {
                LogLeaving(logger, dropped);
            }
            else if (dropped > 0)
            {
                LogDropped(logger, dropped, view.ToString());
            }
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Deactivated {Count} grains that another silo owns under view {View}")]
    private static partial void LogDropped(ILogger logger, int count, string view);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Deactivated {Count} grains: this silo is leaving the cluster")]
    private static partial void LogLeaving(ILogger logger, int count);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Error, Message = "Dropping grains after a view change failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
