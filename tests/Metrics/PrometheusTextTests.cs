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
    public async Task The_streamed_rewrite_equals_the_whole_one_however_the_writes_split_lines_and_labels()
    {
        var exposition = Encoding.UTF8.GetBytes(
            "# HELP h le=\"1\" in help\n# TYPE h histogram\nh_bucket{a=\"x\",le=\"1\"} 2\nh_bucket{le=\"10\"} 3\n" +
            "h_bucket{le=\"0.5\"} 1\nm{file=\"le=\\\"1\\\"\"} 1\nh_bucket{le=\"+Inf\"} 4\nlast{le=\"2\"} 1");
        var whole = new ArrayBufferWriter<byte>();
        PythonBucketLabels.Rewrite(exposition, whole);
        Assert.Contains("le=\"10.0\"", Encoding.UTF8.GetString(whole.WrittenSpan), StringComparison.Ordinal);
        for (var size = 1; size <= exposition.Length; size++)
        {
            var pipe = new System.IO.Pipelines.Pipe();
            await using (var stream = new PythonBucketLabelStream(pipe.Writer))
            {
                for (var at = 0; at < exposition.Length; at += size)
                {
                    await stream.WriteAsync(exposition.AsMemory(at, Math.Min(size, exposition.Length - at)), TestContext.Current.CancellationToken);
                }

                await stream.CompleteAsync(TestContext.Current.CancellationToken);
            }

            await pipe.Writer.CompleteAsync();
            var read = await pipe.Reader.ReadAtLeastAsync(int.MaxValue, TestContext.Current.CancellationToken);
            Assert.Equal(Encoding.UTF8.GetString(whole.WrittenSpan), Encoding.UTF8.GetString(read.Buffer));
            pipe.Reader.AdvanceTo(read.Buffer.End);
        }
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

    [Fact]
    public async Task Kestrels_memory_pool_series_are_summed_by_owner_once_under_the_adapters_names()
    {
        using var mine = new ServiceCollection().AddMetrics().AddGordoMetricRegistry().AddSingleton<FrameworkMeters>().AddSingleton<MemoryPoolMeters>().BuildServiceProvider();
        using var other = new ServiceCollection().AddMetrics().AddGordoMetricRegistry().BuildServiceProvider();
        using var adapter = mine.GetRequiredService<FrameworkMeters>();
        using var pool = mine.GetRequiredService<MemoryPoolMeters>();
        var meter = mine.GetRequiredService<IMeterFactory>().Create(MemoryPoolMeters.MeterName);
        var rented = meter.CreateCounter<long>("aspnetcore.memory_pool.rented", "By", "Total number of bytes rented from the memory pool.");
        var pooled = meter.CreateUpDownCounter<long>("aspnetcore.memory_pool.pooled", "By", "Bytes pooled.");
        var theirs = other.GetRequiredService<IMeterFactory>().Create(MemoryPoolMeters.MeterName).CreateCounter<long>("aspnetcore.memory_pool.rented");
        var kestrel = new KeyValuePair<string, object?>("aspnetcore.memory_pool.owner", "kestrel");
        var sockets = new KeyValuePair<string, object?>("aspnetcore.memory_pool.owner", "sockets");
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                rented.Add(4096, kestrel);
                pooled.Add(4096, kestrel);
                pooled.Add(-4096, kestrel);
            }
        })));
        rented.Add(100, sockets);
        pooled.Add(8192, kestrel);
        meter.CreateCounter<long>("aspnetcore.memory_pool.rented", "By", "A second pool's instrument of the same name.").Add(7, kestrel);
        theirs.Add(1, kestrel);

        var text = await ExportAsync(mine);
        var scrape = PrometheusExposition.Parse(text);
        const string name = "microsoft_aspnetcore_memorypool_aspnetcore_memory_pool_";
        Assert.Equal((4 * 1000 * 4096) + 7, scrape.Value(name + "rented", ("aspnetcore_memory_pool_owner", "kestrel")));
        Assert.Equal(100, scrape.Value(name + "rented", ("aspnetcore_memory_pool_owner", "sockets")));
        Assert.Equal(8192, scrape.Value(name + "pooled", ("aspnetcore_memory_pool_owner", "kestrel")));
        Assert.Equal("gauge", scrape.Types[name + "rented"]);
        Assert.Contains("# HELP " + name + "rented (By) Total number of bytes rented from the memory pool. (Counter`1)\n", text, StringComparison.Ordinal);

        rented.Add(4096, kestrel);
        Assert.Equal((4 * 1000 * 4096) + 7 + 4096, PrometheusExposition.Parse(await ExportAsync(mine)).Value(name + "rented", ("aspnetcore_memory_pool_owner", "kestrel")));
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
