using System.Collections.Immutable;

namespace Gordo.Runtime;

/// <summary>
/// A versioned snapshot of the cluster's members. Placement uses only the <see cref="ActiveSilos"/>,
/// so every silo holding the same view places every grain on the same owner.
/// </summary>
public sealed class MembershipView
{
    public MembershipView(long version, ImmutableArray<ClusterMember> members)
    {
        Version = version;
        Members = members;
        ActiveSilos = [.. members.Where(m => m.Status == SiloStatus.Active).Select(m => m.Address)
            .OrderBy(a => a.ToString(), StringComparer.Ordinal)];
    }

    public static MembershipView Empty { get; } = new(0, []);

    public long Version { get; }

    public ImmutableArray<ClusterMember> Members { get; }

    public ImmutableArray<SiloAddress> ActiveSilos { get; }

    public bool IsActive(SiloAddress silo) => ActiveSilos.Contains(silo);

    public override string ToString() => $"v{Version} [{string.Join(", ", ActiveSilos)}]";
}
