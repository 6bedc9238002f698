using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Gordo.Silo;

/// <summary>Everything recorded for one instrument, by label set.</summary>
internal sealed class MetricFamily
{
    /// <summary>Prometheus' (and gordo's) default histogram buckets.</summary>
    public static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

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

    public IEnumerable<MetricSeries> Series => _series.Values;

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
        var key = new StringBuilder();
        foreach (var (name, value) in tags)
        {
            key.Append(name).Append('\u0001').Append(value).Append('\u0002');
        }

        var text = key.ToString();
        if (_series.TryGetValue(text, out var found))
        {
            return found;
        }

        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(PrometheusText.LabelName(tags[i].Key), Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty);
        }

        return _series.GetOrAdd(text, _ => new MetricSeries(labels, Bounds));
    }

    private static double[] BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } bounds } => [.. bounds],
        Histogram<long> { Advice.HistogramBucketBoundaries: { Count: > 0 } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { Count: > 0 } bounds } => [.. bounds.Select(b => (double)b)],
        _ => DefaultBuckets,
    };
}
