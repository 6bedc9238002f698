using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>A silo's health figures for operators: process, garbage collector, thread pool and grains.</summary>
public sealed record DiagnosticsReport(
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("process")] ProcessFigures Process,
    [property: JsonPropertyName("gc")] GcFigures Gc,
    [property: JsonPropertyName("threadPool")] ThreadPoolFigures ThreadPool,
    [property: JsonPropertyName("grains")] IReadOnlyList<ActivationReport> Grains);
