using System.Text.Json.Serialization;

namespace Gordo.Silo;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(DiagnosticsReport))]
[JsonSerializable(typeof(StackReport))]
[JsonSerializable(typeof(VersionReport))]
public sealed partial class SiloJsonContext : JsonSerializerContext;
