namespace Gordo.Runtime;

/// <summary>A snapshot of one activation on this silo, for cluster views and diagnostics.</summary>
public sealed record ActivationInfo(
    GrainId GrainId,
    ActivationState State,
    DateTimeOffset ActivatedAt,
    TimeSpan IdleFor,
    int InFlightCalls,
    long Calls,
    long MemoryBytes,
    IReadOnlyDictionary<string, string>? Details = null);
