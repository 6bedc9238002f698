using Gordo.Grains.Hosting;
using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using Gordo.Silo;
using Gordo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Gordo.Tests.Metrics;

/// <summary>The exposition as prometheus-net writes it for Gordo (one registry per host, gordo's bucket
/// labels), read back by an independent parser.</summary>
public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("h_bucket{le=\"1\"} 2\n", "h_bucket{le=\"1.0\"} 2\n")]
    [InlineData("h_bucket{a=\"x\",le=\"10\"} 2\n", "h_bucket{a=\"x\",le=\"10.0\"} 2\n")]
    [InlineData("h_bucket{le=\"0.005\"} 0\nh_bucket{le=\"+Inf\"} 1\n", "h_bucket{le=\"0.005\"} 0\nh_bucket{le=\"+Inf\"} 1\n")]
    [InlineData("m{file=\"le=\\\"1\\\"\"} 1\n", "m{file=\"le=\\\"1\\\"\"} 1\n")]
    [InlineData("m{handle=\"1\"} 1\n", "m{handle=\"1\"} 1\n")]
    [InlineData("# HELP m le=\"1\" in help\nm 1\n", "# HELP m le=\"1\" in help\nm 1\n")]
    public void Whole_bucket_bounds_get_pythons_decimal_point_and_nothing_else_changes(string exposition, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        PythonBucketLabels.Rewrite(Encoding.UTF8.GetBytes(exposition), output);
        Assert.Equal(expected, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public async Task Counters_gauges_and_histograms_scrape_to_exact_values_in_a_valid_exposition()
    {
        using var services = new ServiceCollection().AddMetrics().AddGordoMetricRegistry().BuildServiceProvider();
        var metrics = services.GetRequiredService<IMetricFactory>();
        var counter = metrics.CreateCounter("test_requests_total", "Requests by kind.", ["kind"]);
        var histogram = metrics.CreateHistogram("test_latency_seconds", "Latency.", new HistogramConfiguration { Buckets = [0.1, 1, 10] });
        var gauge = metrics.CreateGauge("test_pool_size", "Pool size.", ["pool"]);
        counter.WithLabels("quote\"back\\slash\nnewline").Inc(2);
        counter.WithLabels("plain").Inc(3);
        counter.WithLabels("plain").Inc(4);
        foreach (var value in new[] { 0.05, 0.1, 0.5, 2, 20, 30 })
        {
            histogram.Observe(value);
        }

        gauge.WithLabels("a").Set(5);
        gauge.WithLabels("b").Set(7);

        var scrape = PrometheusExposition.Parse(await ExportAsync(services));
        Assert.Equal("counter", scrape.Types["test_requests_total"]);
        Assert.Equal("histogram", scrape.Types["test_latency_seconds"]);
        Assert.Equal("gauge", scrape.Types["test_pool_size"]);
        Assert.Equal(2, scrape.Value("test_requests_total", ("kind", "quote\"back\\slash\nnewline")));
        Assert.Equal(7, scrape.Value("test_requests_total", ("kind", "plain")));
        Assert.Equal([2, 3, 4, 6], scrape.Named("test_latency_seconds_bucket").Select(s => s.Value));
        Assert.Equal(["0.1", "1.0", "10.0", "+Inf"], scrape.Named("test_latency_seconds_bucket").Select(s => s.Labels["le"]));
        Assert.Equal(6, scrape.Value("test_latency_seconds_count"));
        Assert.Equal(52.65, scrape.Value("test_latency_seconds_sum")!.Value, 9);
        Assert.Equal(5, scrape.Value("test_pool_size", ("pool", "a")));
        Assert.Equal(7, scrape.Value("test_pool_size", ("pool", "b")));

        gauge.RemoveLabelled("a");
        counter.WithLabels("plain").Inc();
        var next = PrometheusExposition.Parse(await ExportAsync(services));
        Assert.Null(next.Value("test_pool_size", ("pool", "a")));
        Assert.Equal(8, next.Value("test_requests_total", ("kind", "plain")));
    }

    [Fact]
    public async Task A_host_sees_only_its_own_series_and_meters()
    {
        using var mine = new ServiceCollection().AddMetrics().AddGordoMetricRegistry().AddSingleton<FrameworkMeters>().BuildServiceProvider();
        using var other = new ServiceCollection().AddMetrics().AddGordoMetricRegistry().BuildServiceProvider();
        using var adapter = mine.GetRequiredService<FrameworkMeters>();
        mine.GetRequiredService<IMetricFactory>().CreateCounter("mine_total", "Mine.").Inc();
        other.GetRequiredService<IMetricFactory>().CreateCounter("theirs_total", "Theirs.").Inc();
        mine.GetRequiredService<IMeterFactory>().Create("Shared.Name").CreateObservableGauge("from_my_meter", () => 3);
        other.GetRequiredService<IMeterFactory>().Create("Shared.Name").CreateObservableGauge("from_their_meter", () => 4);
        using var global = new Meter("Shared.Name");
        global.CreateObservableGauge("from_a_global_meter", () => 5);

        var names = PrometheusExposition.Parse(await ExportAsync(mine)).Samples.Select(s => s.Name).ToList();
        Assert.Contains("mine_total", names);
        Assert.Contains(names, n => n.EndsWith("from_my_meter", StringComparison.Ordinal));
        Assert.DoesNotContain("theirs_total", names);
        Assert.DoesNotContain(names, n => n.Contains("their_meter", StringComparison.Ordinal) || n.Contains("global", StringComparison.Ordinal));
    }

    private static async Task<string> ExportAsync(IServiceProvider services)
    {
        using var buffer = new MemoryStream();
        await services.GetRequiredService<CollectorRegistry>().CollectAndExportAsTextAsync(buffer, ExpositionFormat.PrometheusText, TestContext.Current.CancellationToken);
        var output = new ArrayBufferWriter<byte>();
        PythonBucketLabels.Rewrite(buffer.ToArray(), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Theory]
    [InlineData("metric 1\nmetric 2\n")]
    [InlineData("# TYPE a counter\n# TYPE a gauge\na 1\n")]
    [InlineData("a{x=\"\\q\"} 1\n")]
    [InlineData("a{x=\"1\",x=\"2\"} 1\n")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"1.0\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n")]
    [InlineData("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n")]
    [InlineData("a 1\nb 1\na{x=\"y\"} 1\n")]
    [InlineData("a 1")]
    [InlineData("9a 1\n")]
    public void The_test_parser_rejects_invalid_expositions(string text) =>
        Assert.Throws<FormatException>(() => PrometheusExposition.Parse(text));
}
