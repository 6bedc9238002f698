using Prometheus;

namespace Gordo.Silo.Cluster;

/// <summary>Replies to admin broadcasts, by operation and status.</summary>
public sealed class BroadcastInstruments(IMetricFactory metrics)
{
    private readonly Counter _replies = metrics.CreateCounter("gordo_broadcast_replies_total", "Silo replies to broadcasts, by operation and status (ok, error, timeout).", ["operation", "status"]);

    internal void Reply(string operation, SiloReplyStatus status) => _replies.WithLabels(operation, status.ToString().ToLowerInvariant()).Inc();
}
