using System.Text.Json.Serialization;
using Gordo.Runtime;

namespace Gordo.Silo;

/// <summary>A silo's health figures for operators: process, garbage collector, thread pool and grains.</summary>
public sealed record DiagnosticsReport(
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("process")] ProcessFigures Process,
    [property: JsonPropertyName("gc")] GcFigures Gc,
    [property: JsonPropertyName("threadPool")] ThreadPoolFigures ThreadPool,
    [property: JsonPropertyName("grains")] IReadOnlyList<ActivationReport> Grains);

public sealed record ProcessFigures(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("uptimeSeconds")] double UptimeSeconds,
    [property: JsonPropertyName("residentBytes")] long ResidentBytes,
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("cpuPercent")] double CpuPercent,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("processors")] int Processors);

public sealed record GcFigures(
    [property: JsonPropertyName("heapBytes")] long HeapBytes,
    [property: JsonPropertyName("committedBytes")] long CommittedBytes,
    [property: JsonPropertyName("fragmentedBytes")] long FragmentedBytes,
    [property: JsonPropertyName("totalAllocatedBytes")] long TotalAllocatedBytes,
    [property: JsonPropertyName("collections")] int[] Collections,
    [property: JsonPropertyName("pauseSeconds")] double PauseSeconds,
    [property: JsonPropertyName("pauseTimePercentage")] double PauseTimePercentage,
    [property: JsonPropertyName("memoryLoadBytes")] long MemoryLoadBytes,
    [property: JsonPropertyName("totalAvailableMemoryBytes")] long TotalAvailableMemoryBytes);

public sealed record ThreadPoolFigures(
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("queueLength")] long QueueLength,
    [property: JsonPropertyName("completedItems")] long CompletedItems);
