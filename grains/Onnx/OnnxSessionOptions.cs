namespace Gordo.Grains.Onnx;

/// <summary>Per-session settings. Threading comes from the <see cref="OnnxEnvironment"/>: with a global
/// pool sessions own no threads; without one each session gets <see cref="OnnxEnvironment.IntraOpThreads"/>.</summary>
public sealed record OnnxSessionOptions(int GraphOptimizationLevel = 99, bool EnableCpuMemArena = false, string? LogId = null)
{
    public static OnnxSessionOptions From(OnnxRuntimeOptions options) =>
        new(options.GraphOptimizationLevel, options.EnableCpuMemArena);
}
