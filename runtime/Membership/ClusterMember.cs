namespace Gordo.Runtime;

/// <summary>One silo's row in the membership view.</summary>
public sealed record ClusterMember(SiloAddress Address, SiloStatus Status, DateTimeOffset StartedAt, string Name, string? HttpEndpoint = null);
