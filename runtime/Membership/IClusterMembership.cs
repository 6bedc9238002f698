namespace Gordo.Runtime;

/// <summary>
/// This process's view of the cluster's silos. A silo registers itself and keeps its view current;
/// a gateway (cluster client) only reads the view. Implementations: <see cref="InProcessMembership"/>
/// for a single silo, a Redis-backed table for a cluster.
/// </summary>
public interface IClusterMembership
{
    /// <summary>This process's silo, or null for a gateway that hosts no grains.</summary>
    SiloAddress? LocalSilo { get; }

    MembershipView CurrentView { get; }

    /// <summary>Raised after <see cref="CurrentView"/> changed.</summary>
    event Action<MembershipView>? ViewChanged;

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Leaves the cluster cleanly (other silos drop this one at once).</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
