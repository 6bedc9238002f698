using System.Diagnostics.Metrics;

namespace Gordo.Runtime;

/// <summary>The runtime's metrics (System.Diagnostics.Metrics), named as they are exported to Prometheus.</summary>
public sealed class RuntimeInstruments
{
    public const string MeterName = "Gordo.Runtime";

    private readonly Meter _meter;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _activationFailures;
    private readonly Counter<long> _deactivations;

    public RuntimeInstruments(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _activations = _meter.CreateCounter<long>("gordo_grain_activations", description: "Grain activations created on this silo.");
        _activationFailures = _meter.CreateCounter<long>("gordo_grain_activation_failures", description: "Grain activations whose OnActivate threw.");
        _deactivations = _meter.CreateCounter<long>("gordo_grain_deactivations", description: "Grain activations deactivated on this silo, by reason.");
    }

    public Meter Meter => _meter;

    internal void ObserveActivations(Func<int> count) =>
        _meter.CreateObservableGauge("gordo_grain_active", count, description: "Grain activations currently on this silo.");

    internal void ActivationCreated(string grainType) => _activations.Add(1, new KeyValuePair<string, object?>("grain_type", grainType));

    internal void ActivationFailed(string grainType) => _activationFailures.Add(1, new KeyValuePair<string, object?>("grain_type", grainType));

    internal void ActivationDeactivated(string grainType, DeactivationReason reason) =>
        _deactivations.Add(1, new KeyValuePair<string, object?>("grain_type", grainType), new KeyValuePair<string, object?>("reason", reason.ToString()));
}
