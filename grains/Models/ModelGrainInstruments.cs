using Gordo.Grains.Activations;
using Prometheus;

namespace Gordo.Grains.Models;

/// <summary>Model grain series: activations, loads, load time, failures, evictions by reason, loaded models and bytes.
/// (Orleans' own meters, <c>microsoft_orleans_*</c>, sit beside them on <c>/metrics</c>.)</summary>
public sealed class ModelGrainInstruments
{
    private readonly Counter _loads;
    private readonly Counter _loadFailures;
    private readonly Counter _evictions;
    private readonly Histogram _loadSeconds;
    private readonly Counter.Child _activations;
    private readonly Counter.Child _activationFailures;
    private readonly Counter _deactivations;
    private long _loadCount;
    private long _loadedBytes;
    private long _loadedModels;

    public ModelGrainInstruments(IMetricFactory metrics, CollectorRegistry registry, ModelActivations activations)
    {
        _activations = metrics.CreateCounter("gordo_grain_activations_total", "Grain activations created on this silo.", ["grain_type"]).WithLabels(ModelGrain.ModelGrainType);
        _activationFailures = metrics.CreateCounter("gordo_grain_activation_failures_total", "Model grains activated for a key that names no loadable model.", ["grain_type"])
            .WithLabels(ModelGrain.ModelGrainType);
        _deactivations = metrics.CreateCounter("gordo_grain_deactivations_total", "Grain activations deactivated on this silo, by reason.", ["grain_type", "reason"]);
        var active = metrics.CreateGauge("gordo_grain_active", "Model grain activations currently on this silo.");
        _loads = metrics.CreateCounter("gordo_model_loads_total", "ONNX sessions created for model grains.");
        _loadFailures = metrics.CreateCounter("gordo_model_load_failures_total", "Model loads that failed (missing or malformed model files).");
        _evictions = metrics.CreateCounter("gordo_model_evictions_total", "Loaded models released, by reason (idle_timeout, memory_pressure, evicted, placement_changed, shutting_down).", ["reason"]);
        _loadSeconds = metrics.CreateHistogram("gordo_model_load_seconds", "Time to read model.onnx and create its session.",
            new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        var bytes = metrics.CreateGauge("gordo_model_loaded_bytes", "Estimated bytes of the models loaded on this silo.");
        var models = metrics.CreateGauge("gordo_model_loaded", "Models loaded on this silo.");
        registry.AddBeforeCollectCallback(() =>
        {
            bytes.Set(Volatile.Read(ref _loadedBytes));
            models.Set(Volatile.Read(ref _loadedModels));
            active.Set(activations.Count);
        });
    }

    /// <summary>Successful loads since start (the same count as the metric).</summary>
    public long LoadCount => Volatile.Read(ref _loadCount);

    public long LoadedBytes => Volatile.Read(ref _loadedBytes);

    internal void Loaded(TimeSpan duration, long bytes)
    {
        Interlocked.Increment(ref _loadCount);
        Interlocked.Add(ref _loadedBytes, bytes);
        Interlocked.Increment(ref _loadedModels);
        _loads.Inc();
        _loadSeconds.Observe(duration.TotalSeconds);
    }

    internal void LoadFailed() => _loadFailures.Inc();

    internal void ActivationCreated() => _activations.Inc();

    internal void ActivationFailed() => _activationFailures.Inc();

    internal void ActivationDeactivated(DeactivationReason reason) => _deactivations.WithLabels(ModelGrain.ModelGrainType, reason.ToLabel()).Inc();

    internal void Unloaded(long bytes, DeactivationReason reason)
    {
        Interlocked.Add(ref _loadedBytes, -bytes);
        Interlocked.Decrement(ref _loadedModels);
        _evictions.WithLabels(reason.ToLabel()).Inc();
    }
}
