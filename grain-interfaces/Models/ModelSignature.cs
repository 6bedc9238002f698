namespace Gordo.GrainInterfaces;

/// <summary>
/// A loaded model as tensors, for the Open Inference Protocol: the ONNX graph's input (a
/// <c>[rows, tags]</c> matrix of float32 or float64) and first output, the target tags an anomaly
/// model compares its output with, and the anomaly columns it can compute (gordo's anomaly groups,
/// each a float64 <c>[rows, targets]</c> matrix, or <c>[rows]</c> for the <c>total-*</c> ones).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModelSignature(
    [property: Id(0)] string InputName,
    [property: Id(1)] bool InputIsDouble,
    [property: Id(2)] string[] Tags,
    [property: Id(3)] string OutputName,
    [property: Id(4)] bool OutputIsDouble,
    [property: Id(5)] int? OutputWidth,
    [property: Id(6)] string[] Targets,
    [property: Id(7)] string[] AnomalyOutputs)
{
    public bool IsAnomalyModel => AnomalyOutputs.Length > 0;

    /// <summary>True for <c>total-anomaly-scaled</c> and the other single-column groups.</summary>
    public static bool IsSingleColumn(string anomalyOutput) =>
        anomalyOutput.StartsWith("total-", StringComparison.Ordinal) || anomalyOutput.StartsWith("smooth-total-", StringComparison.Ordinal);
}
