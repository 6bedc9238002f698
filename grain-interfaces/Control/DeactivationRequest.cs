using System.Text.Json.Serialization;

namespace Gordo.GrainInterfaces;

/// <summary>Which activations a deactivation (or reload) broadcast targets: one grain type, and optionally
/// exact keys, keys starting with a prefix, or ending with a suffix (none of them: every activation of the type).</summary>
public sealed record DeactivationRequest(
    [property: JsonPropertyName("grainType")] string GrainType,
    [property: JsonPropertyName("keys")] string[]? Keys = null,
    [property: JsonPropertyName("keyPrefix")] string? KeyPrefix = null,
    [property: JsonPropertyName("keySuffix")] string? KeySuffix = null)
{
    public bool Matches(string grainType, string key) =>
        grainType == GrainType
        && (Keys is null || Keys.Contains(key, StringComparer.Ordinal))
        && (KeyPrefix is null || key.StartsWith(KeyPrefix, StringComparison.Ordinal))
        && (KeySuffix is null || key.EndsWith(KeySuffix, StringComparison.Ordinal));
}
