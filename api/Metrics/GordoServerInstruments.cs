using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gordo.GrainInterfaces;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Metrics;

/// <summary>
/// gordo's request metrics, named, labelled and bucketed exactly as gordo's
/// <c>GordoServerPrometheusMetrics</c> so that its Grafana dashboard and KEDA queries keep working:
/// <c>gordo_server_info</c>, <c>gordo_server_requests_total</c> and
/// <c>gordo_server_request_duration_seconds</c>, with labels <c>version, project, model, method, path,
/// status_code</c> when <c>PROJECT</c> is set and <c>version, model, project, method, path, status_code</c>
/// otherwise.
/// </summary>
public sealed class GordoServerInstruments
{
    public const string OtherModel = "_other_";

    private static readonly double[] s_buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly string? _project;
    private readonly int _maxModels;
    private readonly ConcurrentDictionary<string, byte> _models = new(StringComparer.Ordinal);

    public GordoServerInstruments(IMeterFactory meters, IOptions<MetricsOptions> options)
    {
        _project = string.IsNullOrEmpty(options.Value.Project) ? null : options.Value.Project;
        _maxModels = options.Value.MaxModelLabels;
        var meter = meters.Create("Gordo.Server");
        _requests = meter.CreateCounter<long>("gordo_server_requests", description: "Requests served, by route and status code.");
        _duration = meter.CreateHistogram<double>("gordo_server_request_duration_seconds", "s", "Request duration, by route and status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });
        KeyValuePair<string, object?>[] info = _project is null
            ? [new("version", GordoVersion.Current)]
            : [new("version", GordoVersion.Current), new("project", _project)];
        meter.CreateObservableGauge("gordo_server_info", () => new Measurement<int>(1, info), description: "Gordo server information.");
    }

    public void Record(string? model, string? project, string method, string path, int statusCode, double seconds)
    {
        var modelLabel = Bounded(model ?? string.Empty);
        var status = StatusText(statusCode);
        var tags = _project is null
            ? new TagList
            {
                { "version", GordoVersion.Current }, { "model", modelLabel }, { "project", project ?? string.Empty },
                { "method", method }, { "path", path }, { "status_code", status },
            }
            : new TagList
            {
                { "version", GordoVersion.Current }, { "project", _project }, { "model", modelLabel },
                { "method", method }, { "path", path }, { "status_code", status },
            };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    private string Bounded(string model)
    {
        if (model.Length == 0 || _models.ContainsKey(model))
        {
            return model;
        }

        if (_models.Count >= _maxModels)
        {
            return OtherModel;
        }

        _models.TryAdd(model, 0);
        return model;
    }

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        400 => "400",
        404 => "404",
        410 => "410",
        422 => "422",
        500 => "500",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
