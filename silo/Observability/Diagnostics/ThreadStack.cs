using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>One thread's managed stack, innermost frame first.</summary>
public sealed record ThreadStack(
    [property: JsonPropertyName("threadId")] int ThreadId,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("frames")] IReadOnlyList<string> Frames);
