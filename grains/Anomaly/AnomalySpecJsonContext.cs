using System.Text.Json.Serialization;

namespace Gordo.Grains.Anomaly;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = false)]
[JsonSerializable(typeof(AnomalyDetectorSpec))]
public sealed partial class AnomalySpecJsonContext : JsonSerializerContext;
