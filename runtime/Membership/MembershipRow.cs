using System.Text.Json.Serialization;

namespace Gordo.Runtime;

/// <summary>A silo's row in the Redis membership hash (the field is its <see cref="SiloAddress"/>).</summary>
internal sealed class MembershipRow
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("status")]
    public string Status { get; set; } = nameof(SiloStatus.Active);

    [JsonPropertyName("startedAt")]
    public long StartedAt { get; set; }

    [JsonPropertyName("httpEndpoint")]
    public string? HttpEndpoint { get; set; }
}

[JsonSerializable(typeof(MembershipRow))]
internal sealed partial class MembershipJsonContext : JsonSerializerContext;
