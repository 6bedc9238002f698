using System.Diagnostics;
using System.Net;
using Gordo.GrainInterfaces;
using Gordo.Silo;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> on a real server: gordo's request metrics with gordo's names, label order and
/// buckets, exact after a known sequence of requests; model-grain metrics; a bounded model label; and
/// an exposition that Prometheus' own <c>promtool check metrics</c> accepts.
/// </summary>
public sealed class MetricsEndpointTests(TestCollection collection)
{
    private const string Anomaly = "/gordo/v0/<gordo_project>/<gordo_name>/anomaly/prediction";
    private const string Prediction = "/gordo/v0/<gordo_project>/<gordo_name>/prediction";
    private const string Metadata = "/gordo/v0/<gordo_project>/<gordo_name>/metadata";
    private const string Revisions = "/gordo/v0/<gordo_project>/revisions";

    private static readonly string[] s_buckets = ["0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "2.5", "5.0", "7.5", "10.0", "+Inf"];

    [Fact]
    public async Task After_a_known_sequence_of_requests_the_gordo_counters_are_exact()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        var build = collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 20, build.Targets);
        for (var i = 0; i < 3; i++)
        {
            await (await server.PostJsonAsync("/gordo/v0/plant-a/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);
        }

        for (var i = 0; i < 2; i++)
        {
            await (await server.PostJsonAsync("/gordo/v0/plant-a/pump-1/prediction", body)).JsonAsync(HttpStatusCode.OK);
        }

        await (await server.GetAsync("/gordo/v0/plant-b/no-such-model/metadata")).ErrorAsync(HttpStatusCode.NotFound);
        await (await server.GetAsync("/gordo/v0/plant-b/bad_name/metadata")).ErrorAsync(HttpStatusCode.UnprocessableEntity);
        await (await server.GetAsync("/gordo/v0/plant-a/revisions")).JsonAsync(HttpStatusCode.OK);
        await (await server.GetAsync("/gordo/v0/plant-a/pump-1/metadata?revision=abc")).ErrorAsync(HttpStatusCode.Gone);
        Assert.Equal(HttpStatusCode.NotFound, (await server.GetAsync("/no/such/route")).StatusCode);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/healthcheck")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/health/live")).StatusCode);

        var scrape = await ScrapeAsync(server);
        var expected = new (string Model, string Project, string Method, string Path, string Status, int Count)[]
        {
            ("pump-1", "plant-a", "POST", Anomaly, "200", 3),
            ("pump-1", "plant-a", "POST", Prediction, "200", 2),
            ("no-such-model", "plant-b", "GET", Metadata, "404", 1),
            ("bad_name", "plant-b", "GET", Metadata, "422", 1),
            (string.Empty, "plant-a", "GET", Revisions, "200", 1),
            ("pump-1", "plant-a", "GET", Metadata, "410", 1),
            (string.Empty, string.Empty, "GET", string.Empty, "404", 1),
        };
        var requests = scrape.Named("gordo_server_requests_total").ToList();
        Assert.Equal(expected.Length, requests.Count); // nothing else: /healthcheck, /metrics and probes are not counted
        foreach (var (model, project, method, path, status, count) in expected)
        {
            (string, string)[] labels = [("version", GordoVersion.Current), ("model", model), ("project", project), ("method", method), ("path", path), ("status_code", status)];
            Assert.True(count == scrape.Value("gordo_server_requests_total", labels), $"{model} {path} {status}: {string.Join("\n", requests.Select(r => string.Join(",", r.Labels.Values) + " " + r.Value))}");
            Assert.Equal(count, scrape.Value("gordo_server_request_duration_seconds_count", labels));
            Assert.Equal(count, scrape.Value("gordo_server_request_duration_seconds_bucket", [.. labels, ("le", "+Inf")]));
            Assert.True(scrape.Value("gordo_server_request_duration_seconds_sum", labels) > 0);
        }

        // gordo's label order (PROJECT unset): version, model, project, method, path, status_code; then its buckets.
        Assert.All(requests, s => Assert.Equal(["version", "model", "project", "method", "path", "status_code"], s.Labels.Keys));
        var anomalyBuckets = scrape.Named("gordo_server_request_duration_seconds_bucket").Where(s => s.Labels["path"] == Anomaly).ToList();
        Assert.Equal(s_buckets, anomalyBuckets.Select(s => s.Labels["le"]));
        Assert.Equal(1, scrape.Value("gordo_server_info", ("version", GordoVersion.Current)));
        Assert.Equal("histogram", scrape.Types["gordo_server_request_duration_seconds"]);
        Assert.Equal("counter", scrape.Types["gordo_server_requests_total"]);

        // One more request moves exactly one counter by one.
        await (await server.PostJsonAsync("/gordo/v0/plant-a/pump-1/prediction", body)).JsonAsync(HttpStatusCode.OK);
        var after = await ScrapeAsync(server);
        Assert.Equal(3, after.Value("gordo_server_requests_total", ("version", GordoVersion.Current), ("model", "pump-1"), ("project", "plant-a"), ("method", "POST"), ("path", Prediction), ("status_code", "200")));
        Assert.Equal(11, after.Named("gordo_server_requests_total").Sum(s => s.Value));
    }

    [Fact]
    public async Task With_PROJECT_set_the_project_label_is_constant_and_comes_second()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Metrics:Project"] = "my-project" });
        await (await server.GetAsync("/gordo/v0/url-project/pump-1/metadata")).JsonAsync(HttpStatusCode.OK);

        var scrape = await ScrapeAsync(server);
        var sample = Assert.Single(scrape.Named("gordo_server_requests_total"));
        Assert.Equal(["version", "project", "model", "method", "path", "status_code"], sample.Labels.Keys);
        Assert.Equal("my-project", sample.Labels["project"]);
        Assert.Equal("pump-1", sample.Labels["model"]);
        Assert.Equal(1, sample.Value);
        Assert.Equal(1, scrape.Value("gordo_server_info", ("version", GordoVersion.Current), ("project", "my-project")));
    }

    [Fact]
    public async Task Model_labels_beyond_the_bound_are_counted_as_other()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Metrics:MaxModelLabels"] = "2" });
        foreach (var name in new[] { "pump-1", "plain", "single-tag", "lookback-3", "pump-1", "no-such-model" })
        {
            await server.GetAsync($"/gordo/v0/p/{name}/metadata");
        }

        var scrape = await ScrapeAsync(server);
        var byModel = scrape.Named("gordo_server_requests_total").GroupBy(s => s.Labels["model"]).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        Assert.Equal(new Dictionary<string, double> { ["pump-1"] = 2, ["plain"] = 1, ["_other_"] = 3 }, byModel);
    }

    [Fact]
    public async Task Model_grain_metrics_follow_loads_and_evictions()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "k" });
        var build = collection.Current("pump-1");
        await (await server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", GordoPayload.FromDataset(build.Data, 0, 5, build.Targets))).JsonAsync(HttpStatusCode.OK);
        var plain = collection.Current("plain");
        await (await server.PostJsonAsync("/gordo/v0/p/plain/prediction", GordoPayload.FromDataset(plain.Data, 0, 5, null))).JsonAsync(HttpStatusCode.OK);

        var loaded = await ScrapeAsync(server);
        Assert.Equal(2, loaded.Value("gordo_model_loads_total"));
        Assert.Equal(2, loaded.Value("gordo_model_loaded"));
        Assert.Equal(2, loaded.Value("gordo_model_load_seconds_count"));
        var bytes = loaded.Value("gordo_model_loaded_bytes");
        Assert.True(bytes > new FileInfo(Path.Combine(collection.CurrentDirectory, "pump-1", "model.onnx")).Length, $"loaded bytes {bytes}");
        Assert.Equal(2, loaded.Value("gordo_grain_active"));
        Assert.Equal(2, loaded.Value("gordo_grain_activations_total", ("grain_type", "model")));
        Assert.Null(loaded.Value("gordo_model_evictions_total", ("reason", "evicted")));

        using var evict = new HttpRequestMessage(HttpMethod.Post, "/admin/models/evict") { Content = new StringContent("{\"target\": \"pump-1\"}", System.Text.Encoding.UTF8, "application/json") };
        evict.Headers.Add("X-API-Key", "k");
        await (await server.Client.SendAsync(evict, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);

        var evicted = await ScrapeAsync(server);
        Assert.Equal(1, evicted.Value("gordo_model_evictions_total", ("reason", "evicted")));
        Assert.Equal(1, evicted.Value("gordo_grain_deactivations_total", ("grain_type", "model"), ("reason", "evicted")));
        Assert.Equal(1, evicted.Value("gordo_model_loaded"));
        Assert.Equal(1, evicted.Value("gordo_grain_active"));
        Assert.True(evicted.Value("gordo_model_loaded_bytes") < bytes);
        Assert.Equal(1, evicted.Value("gordo_broadcast_replies_total", ("operation", "deactivate"), ("status", "ok")));
    }

    [Fact]
    public async Task The_exposition_passes_promtool_check_metrics()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "k" });
        var build = collection.Current("pump-1");
        await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 5, build.Targets));
        await server.GetAsync("/gordo/v0/p/nope/metadata");
        await server.GetAsync("/gordo/v0/p/malformed-onnx/metadata");
        using var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/grains");
        admin.Headers.Add("X-API-Key", "k");
        await server.Client.SendAsync(admin, TestContext.Current.CancellationToken);

        var text = await (await server.GetAsync("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var exposition = PrometheusExposition.Parse(text);

        // Orleans' own meters (Microsoft.Orleans) sit beside gordo's series: three model grains were
        // activated (pump-1, and the two whose metadata was asked for).
        Assert.Equal(3, exposition.Value("microsoft_orleans_orleans_catalog_activation_created", ("grain_type", "model")));
        var promtool = Array.Find((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'), d => File.Exists(Path.Combine(d, "promtool")));
        Assert.True(promtool is not null, "promtool is not installed (Debian package 'prometheus'; test.sh installs it).");
        var start = new ProcessStartInfo(Path.Combine(promtool, "promtool"), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken) + await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0 && output.Trim().Length == 0, $"promtool check metrics (exit {process.ExitCode}):\n{output}");
    }

    private static async Task<PrometheusExposition> ScrapeAsync(GordoServerHost server)
    {
        var response = await server.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MetricsEndpoints.ContentType, response.Content.Headers.ContentType?.ToString());
        return PrometheusExposition.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
