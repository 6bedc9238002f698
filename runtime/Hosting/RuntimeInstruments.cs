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
    private readonly Counter<long> _remoteCalls;
    private readonly Histogram<double> _remoteCallSeconds;
    private readonly Counter<long> _broadcastReplies;

    public RuntimeInstruments(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _activations = _meter.CreateCounter<long>("gordo_grain_activations", description: "Grain activations created on this silo.");
        _activationFailures = _meter.CreateCounter<long>("gordo_grain_activation_failures", description: "Grain activations whose OnActivate threw.");
        _deactivations = _meter.CreateCounter<long>("gordo_grain_deactivations", description: "Grain activations deactivated on this silo, by reason.");
        _remoteCalls = _meter.CreateCounter<long>("gordo_remote_calls", description: "Grain calls sent to other silos, by method and outcome (ok, error, unavailable, timeout).");
        _remoteCallSeconds = _meter.CreateHistogram<double>("gordo_remote_call_duration_seconds", "s", "Duration of grain calls sent to other silos, by method.");
        _broadcastReplies = _meter.CreateCounter<long>("gordo_broadcast_replies", description: "Silo replies to broadcasts, by operation and status (ok, error, timeout).");
    }

    public Meter Meter => _meter;

    internal void ObserveActivations(Func<int> count) =>
        _meter.CreateObservableGauge("gordo_grain_active", count, description: "Grain activations currently on this silo.");

    internal void RemoteCall(string method, string outcome, double seconds)
    {
        _remoteCalls.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("outcome", outcome));
        _remoteCallSeconds.Record(seconds, new KeyValuePair<string, object?>("method", method));
    }

    internal void BroadcastReply(string operation, SiloReplyStatus status) =>
        _broadcastReplies.Add(1, new KeyValuePair<string, object?>("operation", operation), new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant()));

    internal void ActivationCreated(string grainType) => _activations.Add(1, new KeyValuePair<string, object?>("grain_type", grainType));

    internal void ActivationFailed(string grainType) => _activationFailures.Add(1, new KeyValuePair<string, object?>("grain_type", grainType));

    internal void ActivationDeactivated(string grainType, DeactivationReason reason) =>
        _deactivations.Add(1, new KeyValuePair<string, object?>("grain_type", grainType), new KeyValuePair<string, object?>("reason", reason.ToLabel()));
}
