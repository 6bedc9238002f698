using System.Collections.Concurrent;
using Gordo.GrainInterfaces;
using Microsoft.Extensions.Options;
using Prometheus;

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

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly string? _project;
    private readonly int _maxModels;
    private readonly ConcurrentDictionary<string, byte> _models = new(StringComparer.Ordinal);

    public GordoServerInstruments(IMetricFactory metrics, IOptions<MetricsOptions> options)
    {
        _project = string.IsNullOrEmpty(options.Value.Project) ? null : options.Value.Project;
        _maxModels = options.Value.MaxModelLabels;
        string[] labels = _project is null
            ? ["version", "model", "project", "method", "path", "status_code"]
            : ["version", "project", "model", "method", "path", "status_code"];
        _requests = metrics.CreateCounter("gordo_server_requests_total", "Requests served, by route and status code.", labels);
        _duration = metrics.CreateHistogram("gordo_server_request_duration_seconds", "Request duration, by route and status code.",
            new HistogramConfiguration { LabelNames = labels, Buckets = s_buckets });
        var info = _project is null
            ? metrics.CreateGauge("gordo_server_info", "Gordo server information.", ["version"]).WithLabels(GordoVersion.Current)
            : metrics.CreateGauge("gordo_server_info", "Gordo server information.", ["version", "project"]).WithLabels(GordoVersion.Current, _project);
        info.Set(1);
    }

    public void Record(string? model, string? project, string method, string path, int statusCode, double seconds)
    {
        var modelLabel = Bounded(model ?? string.Empty);
        var status = StatusText(statusCode);
        var child = _project is null
            ? _requests.WithLabels(GordoVersion.Current, modelLabel, project ?? string.Empty, method, path, status)
            : _requests.WithLabels(GordoVersion.Current, _project, modelLabel, method, path, status);
        child.Inc();
        (_project is null
            ? _duration.WithLabels(GordoVersion.Current, modelLabel, project ?? string.Empty, method, path, status)
            : _duration.WithLabels(GordoVersion.Current, _project, modelLabel, method, path, status)).Observe(seconds);
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
