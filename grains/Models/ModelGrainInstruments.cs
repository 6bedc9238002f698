using System.Diagnostics.Metrics;
using Gordo.Runtime;

namespace Gordo.Grains.Models;

/// <summary>Model grain metrics (meter <c>Gordo.Models</c>): loads, load time, failures, evictions by reason, loaded models and bytes.</summary>
public sealed class ModelGrainInstruments
{
    public const string MeterName = "Gordo.Models";

    private readonly Counter<long> _loads;
    private readonly Counter<long> _loadFailures;
    private readonly Counter<long> _evictions;
    private readonly Histogram<double> _loadSeconds;
    private long _loadCount;
    private long _loadedBytes;
    private long _loadedModels;

    public ModelGrainInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _loads = meter.CreateCounter<long>("gordo_model_loads", description: "ONNX sessions created for model grains.");
        _loadFailures = meter.CreateCounter<long>("gordo_model_load_failures", description: "Model loads that failed (missing or malformed model files).");
        _evictions = meter.CreateCounter<long>("gordo_model_evictions", description: "Loaded models released, by reason (idle_timeout, memory_pressure, evicted, placement_changed, shutting_down).");
        _loadSeconds = meter.CreateHistogram<double>("gordo_model_load_seconds", unit: "s", description: "Time to read model.onnx and create its session.");
        meter.CreateObservableGauge("gordo_model_loaded_bytes", () => Volatile.Read(ref _loadedBytes), unit: "By", description: "Estimated bytes of the models loaded on this silo.");
        meter.CreateObservableGauge("gordo_model_loaded", () => Volatile.Read(ref _loadedModels), description: "Models loaded on this silo.");
        Meter = meter;
    }

    public Meter Meter { get; }

    /// <summary>Successful loads since start (the same count as the metric).</summary>
    public long LoadCount => Volatile.Read(ref _loadCount);

    public long LoadedBytes => Volatile.Read(ref _loadedBytes);

    internal void Loaded(TimeSpan duration, long bytes)
    {
        Interlocked.Increment(ref _loadCount);
        Interlocked.Add(ref _loadedBytes, bytes);
        Interlocked.Increment(ref _loadedModels);
        _loads.Add(1);
        _loadSeconds.Record(duration.TotalSeconds);
    }

    internal void LoadFailed() => _loadFailures.Add(1);

    internal void Unloaded(long bytes, DeactivationReason reason)
    {
        Interlocked.Add(ref _loadedBytes, -bytes);
        Interlocked.Decrement(ref _loadedModels);
        _evictions.Add(1, new KeyValuePair<string, object?>("reason", reason.ToLabel()));
    }
}
