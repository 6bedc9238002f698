using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>The heap now (<c>heapBytes</c>) and, as of the last collection (zero before the first), the
/// heap, committed and fragmented bytes, pause share and memory load.</summary>
public sealed record GcFigures(
    [property: JsonPropertyName("heapBytes")] long HeapBytes,
    [property: JsonPropertyName("heapAfterLastGcBytes")] long HeapAfterLastGcBytes,
    [property: JsonPropertyName("committedBytes")] long CommittedBytes,
    [property: JsonPropertyName("fragmentedBytes")] long FragmentedBytes,
    [property: JsonPropertyName("totalAllocatedBytes")] long TotalAllocatedBytes,
    [property: JsonPropertyName("collections")] int[] Collections,
    [property: JsonPropertyName("pauseSeconds")] double PauseSeconds,
    [property: JsonPropertyName("pauseTimePercentage")] double PauseTimePercentage,
    [property: JsonPropertyName("memoryLoadBytes")] long MemoryLoadBytes,
    [property: JsonPropertyName("totalAvailableMemoryBytes")] long TotalAvailableMemoryBytes);
