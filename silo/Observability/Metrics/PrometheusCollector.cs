using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Gordo.Silo;

/// <summary>
/// Aggregates this host's System.Diagnostics.Metrics instruments (the meters made by its
/// <see cref="IMeterFactory"/>; other hosts in the same process are not mixed in) and writes them in
/// the Prometheus text format. This class is the seam: a Prometheus library's exporter can replace it
/// without touching any instrument.
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, MetricFamily> _families = new();
    private readonly Lock _scrape = new();
    private long _round;

    public PrometheusCollector(IMeterFactory meters)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument, _families.GetOrAdd(instrument, static i => new MetricFamily(i)));
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags, Volatile.Read(ref _round)));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags, Volatile.Read(ref _round)));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags, Volatile.Read(ref _round)));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((MetricFamily)state!).Record(value, tags, Volatile.Read(ref _round)));
        _listener.Start();
    }

    /// <summary>Collects the observable instruments and writes every metric, sorted by name.</summary>
    public string Scrape()
    {
        lock (_scrape)
        {
            var round = Interlocked.Increment(ref _round);
            _listener.RecordObservableInstruments();
            var text = new StringBuilder(8192);
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                // An observable series not reported this round has gone (e.g. a label set no longer observed).
                var series = family.Series.Where(s => !family.IsObservable || s.Round == round).ToList();
                if (series.Count == 0)
                {
                    continue;
                }

                text.Append("# HELP ").Append(family.Name).Append(' ').Append(PrometheusText.EscapeHelp(family.Help)).Append('\n');
                text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Kind.ToString().ToLowerInvariant()).Append('\n');
                foreach (var one in series)
                {
                    if (family.Kind == MetricKind.Histogram)
                    {
                        var buckets = one.CumulativeBuckets();
                        for (var i = 0; i < buckets.Length; i++)
                        {
                            var bound = i < family.Bounds!.Length ? PrometheusText.BucketBound(family.Bounds[i]) : "+Inf";
                            Sample(text, family.BaseName + "_bucket", one.Labels, ("le", bound), buckets[i]);
                        }

                        Sample(text, family.BaseName + "_sum", one.Labels, null, one.Value);
                        Sample(text, family.BaseName + "_count", one.Labels, null, one.Count);
                    }
                    else
                    {
                        Sample(text, family.Name, one.Labels, null, one.Value);
                    }
                }
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private static void Sample(StringBuilder text, string name, KeyValuePair<string, string>[] labels, (string Name, string Value)? extra, double value)
    {
        text.Append(name);
        if (labels.Length > 0 || extra is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (label, labelValue) in labels)
            {
                text.Append(first ? string.Empty : ",").Append(label).Append("=\"").Append(PrometheusText.EscapeLabelValue(labelValue)).Append('"');
                first = false;
            }

            if (extra is { } le)
            {
                text.Append(first ? string.Empty : ",").Append(le.Name).Append("=\"").Append(le.Value).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(PrometheusText.Number(value)).Append('\n');
    }
}
