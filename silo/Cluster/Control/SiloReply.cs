namespace Gordo.Silo.Cluster;

/// <summary>One silo's answer to a broadcast: its payload, or why there is none.</summary>
public sealed record SiloReply(SiloAddress Silo, string Name, SiloReplyStatus Status, byte[]? Payload, string? Error, TimeSpan Elapsed);
