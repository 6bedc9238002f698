using System.Text.Json.Serialization;

namespace Gordo.Silo;

/// <summary>What a process runs: Gordo's version and commit, ONNX Runtime's, .NET's and the OS.</summary>
public sealed record VersionReport(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("onnxRuntime")] string OnnxRuntime,
    [property: JsonPropertyName("dotnet")] string Dotnet,
    [property: JsonPropertyName("os")] string Os);
