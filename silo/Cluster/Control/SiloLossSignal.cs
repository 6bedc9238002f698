using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Fires when a silo leaves the cluster (declared dead, or a gateway connection lost). Calls in flight
/// link their deadline to <see cref="Token"/>: Orleans does not fail a call whose answer was to come from a
/// silo that died (it waits for the response timeout), so those calls stop waiting and are sent again,
/// to the grain's new owner. A silo watches its own membership view; a gateway (an Orleans client) has
/// none, so it watches its gateway connections and polls the cluster's members. A silo that leaves
/// gracefully serves until it is gone, so calls sent to it while it shuts down could still wait for
/// answers that never come: the signal fires when it stops being active and again when it is dead.
/// </summary>
public sealed partial class SiloLossSignal(IServiceProvider services, IOptions<GordoClusterOptions> options, ILogger<SiloLossSignal> logger) : BackgroundService
{
    // Silos the signal fired for: false once they stopped being active, true once they were dead.
    private readonly Dictionary<SiloAddress, bool> _firedFor = [];
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
                Observe(member.SiloAddress, member.Name, member.Status);
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
                var all = await members.GetAsync(onlyActive: false, period, stoppingToken).ConfigureAwait(false);
                var active = all.Where(m => m.Status == SiloStatus.Active).Select(m => m.Address).ToHashSet();
                if (previous is not null)
                {
                    foreach (var member in all)
                    {
                        // Only silos this process saw active: the table also keeps those dead long ago.
                        if (previous.Contains(member.Address) || _firedFor.ContainsKey(member.Address))
                        {
                            Observe(member.Address, member.Name, member.Status);
                        }
                    }

                    if (previous.Except(all.Select(m => m.Address)).FirstOrDefault() is { } vanished && !_firedFor.ContainsKey(vanished))
                    {
                        _firedFor[vanished] = true;
                        Lost($"silo {vanished} is no longer a member");
                    }
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

    /// <summary>Fires when <paramref name="silo"/> is first seen not active, and when it is first seen dead.</summary>
    private void Observe(SiloAddress silo, string name, SiloStatus status)
    {
        if (status is not (SiloStatus.Dead or SiloStatus.ShuttingDown or SiloStatus.Stopping))
        {
            return;
        }

        var dead = status == SiloStatus.Dead;
        if (_firedFor.TryGetValue(silo, out var firedDead) && (firedDead || !dead))
        {
            return;
        }

        _firedFor[silo] = dead;
        Lost($"silo {silo} ({name}) is {status}");
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Cluster change: {What}; calls waiting on it are sent again")]
    private static partial void LogLost(ILogger logger, string what);
}
