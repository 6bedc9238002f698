using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>The .NET thread pool: threads, queued work items, completed work items.</summary>
public sealed record ThreadPoolFigures(
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("queueLength")] long QueueLength,
    [property: JsonPropertyName("completedItems")] long CompletedItems);
