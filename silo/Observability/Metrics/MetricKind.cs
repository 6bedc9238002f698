namespace Gordo.Silo;

/// <summary>Prometheus metric types.</summary>
public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}
