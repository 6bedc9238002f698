using System.Text.Json.Serialization;

namespace Gordo.GrainInterfaces;

/// <summary>What a silo reports about itself to the cluster views.</summary>
public sealed record SiloStats(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("startedAt")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("activations")] int Activations,
    [property: JsonPropertyName("memoryBytes")] long MemoryBytes,
    [property: JsonPropertyName("memoryBudgetBytes")] long MemoryBudgetBytes,
    [property: JsonPropertyName("grainTypes")] string[] GrainTypes,
    [property: JsonPropertyName("httpEndpoint")] string? HttpEndpoint = null);
