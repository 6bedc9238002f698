using System.Diagnostics.Metrics;
using Gordo.Silo;
using Gordo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gordo.Tests.Metrics;

/// <summary>The Prometheus text format as <see cref="PrometheusCollector"/> writes it, read back by an independent parser.</summary>
public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData(0.005, "0.005")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1.0")]
    [InlineData(2.5, "2.5")]
    [InlineData(10.0, "10.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(123456.0, "123456.0")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    public void Bucket_bounds_are_written_as_gordos_python_exporter_writes_them(double bound, string expected) =>
        Assert.Equal(expected, PrometheusText.BucketBound(bound));

    [Theory]
    [InlineData(3.0, "3")]
    [InlineData(0.25, "0.25")]
    [InlineData(-2.0, "-2")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(1e300, "1E+300")]
    public void Sample_values_are_exact(double value, string expected) => Assert.Equal(expected, PrometheusText.Number(value));

    [Fact]
    public void Names_label_values_and_help_are_escaped()
    {
        Assert.Equal("http_server_request_duration", PrometheusText.MetricName("http.server.request.duration"));
        Assert.Equal("_9lives", PrometheusText.MetricName("9lives"));
        Assert.Equal("a:b", PrometheusText.MetricName("a:b"));
        Assert.Equal("a_b", PrometheusText.LabelName("a:b"));
        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusText.EscapeLabelValue("a\\b\"c\nd"));
        Assert.Equal("say \"hi\"\\\\\\n", PrometheusText.EscapeHelp("say \"hi\"\\\n"));
        Assert.Equal("_seconds", PrometheusText.UnitSuffix("kestrel.connection.duration", "s"));
        Assert.Equal(string.Empty, PrometheusText.UnitSuffix("gordo_model_load_seconds", "s"));
        Assert.Equal("_bytes", PrometheusText.UnitSuffix("memory", "By"));
        Assert.Equal(string.Empty, PrometheusText.UnitSuffix("requests", "{request}"));
    }

    [Fact]
    public void Counters_gauges_and_histograms_scrape_to_exact_values_in_a_valid_exposition()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new PrometheusCollector(factory);
        var meter = factory.Create("Test.Meter");
        var counter = meter.CreateCounter<long>("test.requests", description: "Requests\nby \\kind");
        var histogram = meter.CreateHistogram<double>("test_latency", "s", "Latency.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        var observed = new List<Measurement<int>> { new(5, new KeyValuePair<string, object?>("pool", "a")), new(7, new KeyValuePair<string, object?>("pool", "b")) };
        meter.CreateObservableGauge("test_pool_size", () => observed);

        counter.Add(2, new KeyValuePair<string, object?>("kind", "quote\"back\\slash\nnewline"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "plain"));
        counter.Add(4, new KeyValuePair<string, object?>("kind", "plain"));
        foreach (var value in new[] { 0.05, 0.1, 0.5, 2, 20, 30 })
        {
            histogram.Record(value);
        }

        var scrape = PrometheusExposition.Parse(collector.Scrape());
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

        // An observable series that is no longer reported leaves the exposition; counters only grow.
        observed.RemoveAt(0);
        counter.Add(1, new KeyValuePair<string, object?>("kind", "plain"));
        var next = PrometheusExposition.Parse(collector.Scrape());
        Assert.Null(next.Value("test_pool_size", ("pool", "a")));
        Assert.Equal(7, next.Value("test_pool_size", ("pool", "b")));
        Assert.Equal(8, next.Value("test_requests_total", ("kind", "plain")));
    }

    [Fact]
    public void A_collector_sees_only_its_own_hosts_meters()
    {
        using var mine = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var other = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var collector = new PrometheusCollector(mine.GetRequiredService<IMeterFactory>());
        mine.GetRequiredService<IMeterFactory>().Create("Shared.Name").CreateCounter<int>("mine").Add(1);
        other.GetRequiredService<IMeterFactory>().Create("Shared.Name").CreateCounter<int>("theirs").Add(1);
        using var global = new Meter("Shared.Name");
        global.CreateCounter<int>("global").Add(1);

        var scrape = PrometheusExposition.Parse(collector.Scrape());
        Assert.Equal(["mine_total"], scrape.Samples.Select(s => s.Name));
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
