using System.Diagnostics.Metrics;
using Prometheus;

namespace Gordo.Silo;

/// <summary>
/// The framework's System.Diagnostics.Metrics meters on <c>/metrics</c> through prometheus-net's meter
/// adapter: ASP.NET Core's and Kestrel's (made by this host's <see cref="IMeterFactory"/>, so another host
/// in the same process is not mixed in) and the runtime's own <c>System.Runtime</c> meter. Gordo's series
/// are prometheus-net collectors of their own, with their exact names.
/// </summary>
public sealed class FrameworkMeters : IDisposable
{
    private readonly IDisposable _adapter;

    public FrameworkMeters(IMeterFactory meters, CollectorRegistry registry, IMetricFactory metrics)
    {
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            MetricFactory = metrics,
            InstrumentFilterPredicate = instrument => (ReferenceEquals(instrument.Meter.Scope, meters) && !IsCostlyToObserve(instrument)) || IsRuntimeSeries(instrument),
        });
    }

    public void Dispose() => _adapter.Dispose();

    /// <summary>Kestrel's memory pool measures every block it rents and returns: <see cref="MemoryPoolMeters"/>
    /// sums those itself, under the same names. Orleans' directory cache size is counted by enumerating the whole cache
    /// (<c>ConcurrentLruCache.Count</c> is <c>_dictionary.Where(_ => true).Count()</c>) at every scrape:
    /// half of a scrape's time with 2 000 models. <c>/admin/grains</c> has the activations anyway.</summary>
    private static bool IsCostlyToObserve(Instrument instrument) =>
        instrument.Name == "orleans-directory-cache-size" || instrument.Meter.Name == MemoryPoolMeters.MeterName;

    /// <summary>System.Runtime's instruments, but those named <c>*.count</c>: the adapter exports them as
    /// gauges ending in <c>_count</c>, which Prometheus reserves for histograms and summaries (promtool
    /// refuses them); <see cref="ProcessInstruments"/> has their figures (threads, work items) anyway.</summary>
    private static bool IsRuntimeSeries(Instrument instrument) =>
        instrument.Meter.Name == "System.Runtime" && !instrument.Name.EndsWith(".count", StringComparison.Ordinal);
}
