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

        var hosts = await grains.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        return [.. hosts.OrderBy(h => h.SiloAddress.ToString(), StringComparer.Ordinal)
            .Select(h => new ClusterMember(h.SiloAddress, h.SiloName, h.Status, h.StartTime))];
    }
}
