namespace Gordo.GrainInterfaces;

/// <summary>422: the model cannot compute anomalies (no <c>gordo.anomaly</c> detector, or thresholds
/// required but missing). The gordo client falls back to <c>/prediction</c> on this code.</summary>
[GenerateSerializer]
public sealed class NotAnomalyModelException(string message) : GordoException(422, message, "message");
