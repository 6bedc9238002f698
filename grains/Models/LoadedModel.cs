using Gordo.GrainInterfaces;
using Gordo.Grains.Anomaly;
using Gordo.Grains.Onnx;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Grains.Models;

/// <summary>A model's ONNX session and what was checked about it at load time.</summary>
internal sealed class LoadedModel(OnnxSession session, TensorElementType inputType, int? outputWidth,
    DiffAnomalyDetector? detector, string? detectorError, long memoryBytes, TimeSpan loadTime, ModelBatcher? batcher = null) : IDisposable
{
    public OnnxSession Session { get; } = session;

    /// <summary>Float or Double: what the model's input takes.</summary>
    public TensorElementType InputType { get; } = inputType;

    /// <summary>The first output's static column count, when the graph states it.</summary>
    public int? OutputWidth { get; } = outputWidth;

    /// <summary>The anomaly detector; null for a plain model (or an invalid detector, see <see cref="DetectorError"/>).</summary>
    public DiffAnomalyDetector? Detector { get; } = detector;

    public string? DetectorError { get; } = detectorError;

    public long MemoryBytes { get; } = memoryBytes;

    public TimeSpan LoadTime { get; } = loadTime;

    /// <summary>Merges concurrent runs when micro-batching is on; null otherwise.</summary>
    public ModelBatcher? Batcher { get; } = batcher;

    /// <summary>The model as tensors, described on first use.</summary>
    public ModelSignature? Signature { get; set; }

    public void Dispose() => Session.Dispose();
}
