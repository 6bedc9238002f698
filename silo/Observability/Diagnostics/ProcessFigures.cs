using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>The process: id, uptime, resident memory, CPU time and share, threads, processors.</summary>
public sealed record ProcessFigures(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("uptimeSeconds")] double UptimeSeconds,
    [property: JsonPropertyName("residentBytes")] long ResidentBytes,
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("cpuPercent")] double CpuPercent,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("processors")] int Processors);
