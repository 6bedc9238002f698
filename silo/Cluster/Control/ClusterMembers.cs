using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Gordo.Silo.Cluster;

/// <summary>One silo of Orleans' membership as the admin views show it.</summary>
public sealed record ClusterMember(SiloAddress Address, string Name, SiloStatus Status, DateTimeOffset? StartedAt);

/// <summary>
/// The cluster's silos from Orleans' membership: a silo reads its own membership view (no call, so a
/// frozen silo elsewhere cannot delay it); a gateway asks the management grain, with a deadline.
/// </summary>
public sealed class ClusterMembers(IServiceProvider services, IGrainFactory grains)
{
    private readonly IClusterMembershipService? _membership = services.GetService<IClusterMembershipService>();
    private readonly ConcurrentDictionary<SiloAddress, (string Name, DateTimeOffset StartedAt)> _details = new();
    private readonly ConcurrentDictionary<bool, Dictionary<SiloAddress, SiloStatus>> _lastHosts = new();

    public bool IsSilo => _membership is not null;

    public SiloAddress? LocalSilo => services.GetService<ILocalSiloDetails>()?.SiloAddress;

    public async Task<IReadOnlyList<ClusterMember>> GetAsync(bool onlyActive, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_membership is { } membership)
        {
            return [.. membership.CurrentSnapshot.Members.Values
                .Where(m => !onlyActive || m.Status == SiloStatus.Active)
                .Where(m => m.Status != SiloStatus.None)
                .OrderBy(m => m.SiloAddress.ToString(), StringComparer.Ordinal)
                .Select(m => new ClusterMember(m.SiloAddress, m.Name, m.Status, null))];
        }

        // GetHosts answers from a silo's membership view; GetDetailedHosts reads the table (Redis), so it
        // is asked only for the names of silos not seen before, and may fail while Redis is away.
        var management = grains.GetGrain<IManagementGrain>(0);
        Dictionary<SiloAddress, SiloStatus> hosts;
        try
        {
            hosts = await management.GetHosts(onlyActive).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            _lastHosts[onlyActive] = hosts;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // While the membership table cannot be read (Redis away, or just back and being rebuilt), the last
            // list answers: of the same kind, else the last list of the active silos.
            hosts = _lastHosts.GetValueOrDefault(onlyActive) ?? _lastHosts.GetValueOrDefault(true)
                ?? throw new GordoException(503, $"The cluster's silos could not be listed ({ex.GetType().Name}: {ex.Message}).");
        }

        if (hosts.Keys.Any(h => !_details.ContainsKey(h)))
        {
            try
            {
                foreach (var entry in await management.GetDetailedHosts(onlyActive: false).WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
                {
                    _details[entry.SiloAddress] = (entry.SiloName, entry.StartTime);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Names wait for the table; addresses and statuses are known.
            }
        }

        return [.. hosts.Where(h => h.Value != SiloStatus.None)
            .OrderBy(h => h.Key.ToString(), StringComparer.Ordinal)
            .Select(h => _details.TryGetValue(h.Key, out var d)
                ? new ClusterMember(h.Key, d.Name, h.Value, d.StartedAt)
                : new ClusterMember(h.Key, h.Key.ToString(), h.Value, null))];
    }
}
