using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gordo.Silo;

/// <summary>Everything recorded for one instrument, by label set.</summary>
internal sealed class MetricFamily
{
    /// <summary>Prometheus' (and gordo's) default histogram buckets.</summary>
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Series by a hash of their tags; a hit compares the tags in place, so recording allocates nothing
    // (Kestrel and the model grains record several measurements per request).
    private readonly ConcurrentDictionary<int, MetricSeries[]> _series = new();

    public MetricFamily(Instrument instrument)
    {
        Instrument = instrument;
        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        Kind = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? MetricKind.Counter
            : generic == typeof(Histogram<>) ? MetricKind.Histogram
            : MetricKind.Gauge;
        IsObservable = instrument.IsObservable;
        IsCumulative = generic == typeof(Counter<>) || generic == typeof(UpDownCounter<>);
        var name = PrometheusText.MetricName(instrument.Name) + PrometheusText.UnitSuffix(instrument.Name, instrument.Unit);
        Name = Kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
        BaseName = name;
        Help = instrument.Description ?? instrument.Name;
        Bounds = Kind == MetricKind.Histogram ? BucketsOf(instrument) : null;
    }

    public Instrument Instrument { get; }

    public MetricKind Kind { get; }

    /// <summary>Name of the samples (counters end in <c>_total</c>).</summary>
    public string Name { get; }

    /// <summary>Name without the counter suffix (histograms add <c>_bucket</c>, <c>_sum</c>, <c>_count</c> to it).</summary>
    public string BaseName { get; }

    public string Help { get; }

    public double[]? Bounds { get; }

    public bool IsObservable { get; }

    /// <summary>Synchronous counters and up-down counters report increments; everything else reports values.</summary>
    public bool IsCumulative { get; }

    public IEnumerable<MetricSeries> Series => _series.Values.SelectMany(static s => s);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, long round)
    {
        var series = Find(tags);
        switch (Kind)
        {
            case MetricKind.Histogram:
                series.Observe(value);
                break;
            default:
                if (IsCumulative)
                {
                    series.Add(value);
                }
                else
                {
                    series.Set(value);
                }

                break;
        }

        series.Round = round;
    }

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = Hash(tags);
        if (_series.TryGetValue(hash, out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (candidate.HasTags(tags))
                {
                    return candidate;
                }
            }
        }

        var series = new MetricSeries(tags, Bounds);
        lock (_series)
        {
            var current = _series.GetValueOrDefault(hash) ?? [];
            foreach (var candidate in current)
            {
                if (candidate.HasTags(tags))
                {
                    return candidate;
                }
            }

            _series[hash] = [.. current, series];
            return series;
        }
    }

    private static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = new HashCode();
        foreach (var (name, value) in tags)
        {
            hash.Add(name);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    private static double[] BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } bounds } => [.. bounds],
        Histogram<long> { Advice.HistogramBucketBoundaries: { Count: > 0 } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { Count: > 0 } bounds } => [.. bounds.Select(b => (double)b)],
        _ => DefaultBuckets,
    };
}
