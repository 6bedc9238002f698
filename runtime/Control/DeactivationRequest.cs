using System.Text.Json.Serialization;

namespace Gordo.Runtime;

/// <summary>Which activations a "deactivate" broadcast targets: one grain type, and optionally exact keys
/// or keys starting with a prefix (none of both: every activation of the type).</summary>
public sealed record DeactivationRequest(
    [property: JsonPropertyName("grainType")] string GrainType,
    [property: JsonPropertyName("keys")] string[]? Keys = null,
    [property: JsonPropertyName("keyPrefix")] string? KeyPrefix = null);
