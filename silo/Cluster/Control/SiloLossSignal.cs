using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Fires when a silo leaves the cluster (declared dead, or a gateway connection lost). Calls in flight
/// link their deadline to <see cref="Token"/>: Orleans does not fail a call whose answer was to come from a
/// silo that died (it waits for the response timeout), so those calls stop waiting and are sent again,
/// to the grain's new owner. A silo watches its own membership view; a gateway (an Orleans client) has
/// none, so it watches its gateway connections and polls the cluster's active silos.
/// </summary>
public sealed partial class SiloLossSignal(IServiceProvider services, IOptions<GordoClusterOptions> options, ILogger<SiloLossSignal> logger) : BackgroundService
{
    private readonly HashSet<SiloAddress> _seenGone = [];
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled at the next loss of a silo (a fresh token follows it).</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    internal void Lost(string what)
    {
        var previous = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        LogLost(logger, what);

        // Not disposed: a call may still be linking to its token.
        previous.Cancel();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (services.GetService<IClusterMembershipService>() is { } membership)
            {
                await WatchMembershipAsync(membership, stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await PollActiveSilosAsync(services.GetRequiredService<ClusterMembers>(), stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WatchMembershipAsync(IClusterMembershipService membership, CancellationToken stoppingToken)
    {
        await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken).ConfigureAwait(false))
        {
            foreach (var member in snapshot.Members.Values)
            {
                if (member.Status is SiloStatus.Dead or SiloStatus.ShuttingDown or SiloStatus.Stopping && _seenGone.Add(member.SiloAddress))
                {
                    Lost($"silo {member.SiloAddress} ({member.Name}) is {member.Status}");
                }
            }
        }
    }

    private async Task PollActiveSilosAsync(ClusterMembers members, CancellationToken stoppingToken)
    {
        var period = options.Value.DeathTimeout / 4;
        HashSet<SiloAddress>? previous = null;
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                var active = (await members.GetAsync(onlyActive: true, period, stoppingToken).ConfigureAwait(false)).Select(m => m.Address).ToHashSet();
                if (previous is not null && previous.Except(active).FirstOrDefault() is { } gone)
                {
                    Lost($"silo {gone} is no longer active");
                }

                previous = active;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The cluster is unreachable for a moment: the next poll tells.
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Cluster change: {What}; calls waiting on it are sent again")]
    private static partial void LogLost(ILogger logger, string what);
}
