using System.Text.Json.Serialization;

namespace Gordo.GrainInterfaces;

/// <summary>One activation, as a silo reports it to the cluster views.</summary>
public sealed record ActivationReport(
    [property: JsonPropertyName("grain")] string Grain,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("activatedAt")] DateTimeOffset ActivatedAt,
    [property: JsonPropertyName("idleSeconds")] double IdleSeconds,
    [property: JsonPropertyName("inFlight")] int InFlight,
    [property: JsonPropertyName("calls")] long Calls,
    [property: JsonPropertyName("memoryBytes")] long MemoryBytes,
    [property: JsonPropertyName("details")] IReadOnlyDictionary<string, string>? Details = null);
