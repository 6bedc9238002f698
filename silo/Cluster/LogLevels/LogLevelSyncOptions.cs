namespace Gordo.Silo.Cluster;

/// <summary>How often a process re-reads the cluster's stored log levels (section <c>Gordo:Logging</c>).</summary>
public sealed class LogLevelSyncOptions
{
    public const string SectionName = "Gordo:Logging";

    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(10);
}
