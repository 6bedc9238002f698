using Prometheus;

namespace Gordo.Runtime;

/// <summary>The runtime's Prometheus series (prometheus-net collectors in this host's registry).</summary>
public sealed class RuntimeInstruments(IMetricFactory metrics, CollectorRegistry registry)
{
    /// <summary>Buckets of call durations: gordo's request buckets, the scale operators read them on.</summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter _activations = metrics.CreateCounter("gordo_grain_activations_total", "Grain activations created on this silo.", ["grain_type"]);
    private readonly Counter _activationFailures = metrics.CreateCounter("gordo_grain_activation_failures_total", "Grain activations whose OnActivate threw.", ["grain_type"]);
    private readonly Counter _deactivations = metrics.CreateCounter("gordo_grain_deactivations_total", "Grain activations deactivated on this silo, by reason.", ["grain_type", "reason"]);
    private readonly Counter _remoteCalls = metrics.CreateCounter("gordo_remote_calls_total", "Grain calls sent to other silos, by method and outcome (ok, error, unavailable, timeout).", ["method", "outcome"]);
    private readonly Histogram _remoteCallSeconds = metrics.CreateHistogram("gordo_remote_call_duration_seconds", "Duration of grain calls sent to other silos, by method.",
        new HistogramConfiguration { LabelNames = ["method"], Buckets = DurationBuckets });
    private readonly Counter _broadcastReplies = metrics.CreateCounter("gordo_broadcast_replies_total", "Silo replies to broadcasts, by operation and status (ok, error, timeout).", ["operation", "status"]);

    internal void ObserveActivations(Func<int> count)
    {
        var gauge = metrics.CreateGauge("gordo_grain_active", "Grain activations currently on this silo.");
        registry.AddBeforeCollectCallback(() => gauge.Set(count()));
    }

    internal void RemoteCall(string method, string outcome, double seconds)
    {
        _remoteCalls.WithLabels(method, outcome).Inc();
        _remoteCallSeconds.WithLabels(method).Observe(seconds);
    }

    internal void BroadcastReply(string operation, SiloReplyStatus status) =>
        _broadcastReplies.WithLabels(operation, status.ToString().ToLowerInvariant()).Inc();

    internal void ActivationCreated(string grainType) => _activations.WithLabels(grainType).Inc();

    internal void ActivationFailed(string grainType) => _activationFailures.WithLabels(grainType).Inc();

    internal void ActivationDeactivated(string grainType, DeactivationReason reason) => _deactivations.WithLabels(grainType, reason.ToLabel()).Inc();
}
