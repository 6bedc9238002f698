namespace Gordo.Runtime;

/// <summary>What this process is in the cluster.</summary>
public sealed record RuntimeRole(bool HostsGrains)
{
    public string Name => HostsGrains ? "silo" : "gateway";
}
