using System.Text.Json.Serialization;

namespace Gordo.GrainInterfaces;

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(SiloStats))]
[JsonSerializable(typeof(ActivationReport[]))]
[JsonSerializable(typeof(DeactivationRequest))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(LogLevelReport))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
