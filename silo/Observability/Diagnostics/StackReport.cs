using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>The threads of a process with their managed stacks, or, when the runtime does not allow a
/// stack capture, the threads alone and why.</summary>
public sealed record StackReport(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("captureMilliseconds")] double CaptureMilliseconds,
    [property: JsonPropertyName("threads")] IReadOnlyList<ThreadStack> Threads,
    [property: JsonPropertyName("note")] string? Note = null);
