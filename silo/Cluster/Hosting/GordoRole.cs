namespace Gordo.Silo.Cluster;

/// <summary>What this process is in the cluster.</summary>
public sealed record GordoRole(bool HostsGrains)
{
    public string Name => HostsGrains ? "silo" : "gateway";
}
