namespace Gordo.Runtime;

/// <summary>
/// This process's view of the cluster's silos. A silo registers itself and keeps its view current;
/// a gateway (cluster client) only reads the view. Implementations: <see cref="InProcessMembership"/>
/// for a single silo, <see cref="RedisMembership"/> for a cluster.
/// </summary>
public interface IClusterMembership
{
    /// <summary>This process's silo, or null for a gateway that hosts no grains.</summary>
    SiloAddress? LocalSilo { get; }

    MembershipView CurrentView { get; }

    /// <summary>Raised after <see cref="CurrentView"/> changed.</summary>
    event Action<MembershipView>? ViewChanged;

    /// <summary>Joins the cluster (a silo) or starts following it (a gateway).</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Announces that this silo is shutting down: from now on no grain is placed on it.</summary>
    Task LeaveAsync(CancellationToken cancellationToken);

    /// <summary>Removes this silo from the table (a clean leave) and stops following the cluster.</summary>
    Task StopAsync(CancellationToken cancellationToken);

    /// <summary>Re-reads the membership table soon (a silo looked unreachable).</summary>
    void RequestRefresh();

    /// <summary>Completes when the view's version exceeds <paramref name="version"/>; false on timeout.</summary>
    Task<bool> WaitForViewChangeAsync(long version, TimeSpan timeout, CancellationToken cancellationToken);
}
