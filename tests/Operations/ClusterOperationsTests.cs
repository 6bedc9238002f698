using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Grains.Models;
using Gordo.ModelBuilder.Output;
using Gordo.Grains.Activations;
using Gordo.Silo.Cluster;
using Gordo.Tests.Cluster;
using Gordo.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gordo.Tests.Operations;

/// <summary>Cluster-wide admin operations over a real Redis: log levels, diagnostics, eviction, reload, request ids.</summary>
public sealed class ClusterOperationsTests(TestCollection collection)
{
    private static readonly string[] s_targets = ["pump-1", "windowed-smm", "windowed-sma", "lookback-3", "single-tag", "plain"];

    [Fact]
    public async Task A_log_level_change_reaches_every_silo_and_a_silo_started_later_comes_up_with_it()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var silos = new List<GordoServerHost> { await cluster.StartSiloAsync("silo-a"), await cluster.StartSiloAsync("silo-b") };
        var gateway = await cluster.StartGatewayAsync();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        const string category = "Gordo.Grains.Activations.ModelActivations";

        var before = await AdminAsync(gateway, HttpMethod.Get, $"/admin/logging/level?name={category}");
        Assert.All(before.GetProperty("silos").EnumerateArray(), s => Assert.Equal("Information", s.GetProperty("result").GetProperty("level").GetString()));

        var changed = await AdminAsync(gateway, HttpMethod.Put, "/admin/logging/level", $"{{\"name\": \"{category}\", \"level\": \"debug\"}}");
        Assert.Equal("Debug", changed.GetProperty("level").GetString());
        Assert.Equal(2, changed.GetProperty("silos").GetArrayLength());
        Assert.All(changed.GetProperty("silos").EnumerateArray(), s =>
        {
            Assert.Equal("ok", s.GetProperty("status").GetString());
            Assert.Equal("Debug", s.GetProperty("result").GetProperty("level").GetString());
        });
        Assert.Equal("Debug", changed.GetProperty("gateway").GetString());
        Assert.All(silos.Append(gateway), s => Assert.Equal(LogLevel.Debug, s.Get<LogLevels>().Effective(category)));

        // The level really changed what is written: the Debug line of an eviction appears.
        var build = collection.Current("pump-1");
        await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/prediction", GordoPayload.FromDataset(build.Data, 0, 3, null))).JsonAsync(HttpStatusCode.OK);
        await AdminAsync(gateway, HttpMethod.Post, "/admin/models/evict", "{\"target\": \"pump-1\"}");
        Assert.Contains(silos, s => s.Logs.Entries.Any(e => e.Category == category && e.Level == LogLevel.Debug && e.Message.Contains("pump-1", StringComparison.Ordinal)));

        var late = await cluster.StartSiloAsync("silo-c");
        Assert.Equal(LogLevel.Debug, late.Get<LogLevels>().Effective(category));
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 3);
        var after = await AdminAsync(gateway, HttpMethod.Get, $"/admin/logging/level?name={category}");
        Assert.Equal("Debug", after.GetProperty("desired").GetString());
        Assert.Equal(3, after.GetProperty("silos").GetArrayLength());
        Assert.All(after.GetProperty("silos").EnumerateArray(), s => Assert.Equal("Debug", s.GetProperty("result").GetProperty("level").GetString()));
    }

    [Fact]
    public async Task A_diagnostics_broadcast_names_a_frozen_silo_as_timeout_and_a_killed_one_as_error()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        // A long death timeout: the frozen and the killed silo stay members, so the broadcast must name them.
        // The broadcast enters through a silo (silo-3, in this process): silo-to-silo calls go straight to
        // each silo. (An Orleans client routes a call through one of its gateways, and a frozen gateway holds
        // the calls routed through it until it is declared dead.)
        var slow = new Dictionary<string, string?> { ["Gordo:Cluster:DeathTimeout"] = "00:01:00" };
        var silos = new[] { await cluster.StartSiloProcessAsync("silo-1", slow), await cluster.StartSiloProcessAsync("silo-2", slow) };
        var gateway = await cluster.StartSiloAsync("silo-3", slow);
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 3);

        foreach (var target in s_targets)
        {
            var build = collection.Current(target);
            await (await gateway.PostJsonAsync($"/gordo/v0/p/{target}/prediction", GordoPayload.FromDataset(build.Data, 0, 4, build.Targets))).JsonAsync(HttpStatusCode.OK);
        }

        var healthy = await AdminAsync(gateway, HttpMethod.Get, "/admin/diagnostics");
        Assert.Equal(3, healthy.GetProperty("silos").GetArrayLength());
        Assert.All(healthy.GetProperty("silos").EnumerateArray(), s =>
        {
            Assert.Equal("ok", s.GetProperty("status").GetString());
            var result = s.GetProperty("result");
            Assert.True(result.GetProperty("process").GetProperty("residentBytes").GetInt64() > 0);
            Assert.True(result.GetProperty("gc").GetProperty("heapBytes").GetInt64() > 0);
            Assert.True(result.GetProperty("threadPool").GetProperty("threads").GetInt32() > 0);
        });

        // Every model grain is reported once, by the silo that holds it, with its bytes, load time and request count.
        var grains = healthy.GetProperty("silos").EnumerateArray().SelectMany(s => s.GetProperty("result").GetProperty("grains").EnumerateArray()).ToList();
        Assert.Equal(s_targets.Select(t => $"model/{TestCollection.CurrentRevision}/{t}").Order(), grains.Select(g => g.GetProperty("grain").GetString()).Order());
        Assert.All(grains, g =>
        {
            Assert.True(g.GetProperty("memoryBytes").GetInt64() > 0);
            Assert.Equal("1", g.GetProperty("details").GetProperty("predictions").GetString());
            Assert.True(double.Parse(g.GetProperty("details").GetProperty("loadMilliseconds").GetString()!, CultureInfo.InvariantCulture) > 0);
        });

        var versions = await AdminAsync(gateway, HttpMethod.Get, "/admin/versions");
        Assert.Equal(3, versions.GetProperty("silos").GetArrayLength());
        Assert.All(versions.GetProperty("silos").EnumerateArray(), s =>
        {
            Assert.Equal(GordoVersion.Current, s.GetProperty("result").GetProperty("version").GetString());
            Assert.Equal(GordoVersion.Commit, s.GetProperty("result").GetProperty("commit").GetString());
            Assert.Equal("1.31.1", s.GetProperty("result").GetProperty("onnxRuntime").GetString());
        });

        var stacks = await AdminAsync(gateway, HttpMethod.Get, "/admin/diagnostics/stacks");
        Assert.All(stacks.GetProperty("silos").EnumerateArray(), s =>
        {
            Assert.Equal("ok", s.GetProperty("status").GetString());
            var threads = s.GetProperty("result").GetProperty("threads").EnumerateArray().ToList();
            Assert.NotEmpty(threads);
            Assert.Contains(threads, t => t.GetProperty("frames").GetArrayLength() > 0);
        });

        var frozen = silos[0].Process;
        Signal("STOP", frozen.Id);
        try
        {
            var watch = Stopwatch.StartNew();
            var report = await AdminAsync(gateway, HttpMethod.Get, "/admin/diagnostics?timeout=2");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"The broadcast took {watch.Elapsed} with a 2 s deadline.");
            var entries = report.GetProperty("silos").EnumerateArray().ToList();
            Assert.Equal(3, entries.Count);
            Assert.Equal("timeout", entries.Single(e => e.GetProperty("name").GetString() == "silo-1").GetProperty("status").GetString());
            Assert.Equal(2, entries.Count(e => e.GetProperty("status").GetString() == "ok"));
        }
        finally
        {
            Signal("CONT", frozen.Id);
        }

        silos[1].Process.Kill(entireProcessTree: true);
        await silos[1].Process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var afterKill = await AdminAsync(gateway, HttpMethod.Get, "/admin/diagnostics?timeout=2");
        var killed = afterKill.GetProperty("silos").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "silo-2");
        Assert.Equal("error", killed.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(killed.GetProperty("error").GetString()));
        Assert.Equal("ok", afterKill.GetProperty("silos").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "silo-3").GetProperty("status").GetString());

        // Health level 2 names the silo that does not answer.
        var health = await gateway.GetAsync("/health?max_level=2");
        Assert.Equal(HttpStatusCode.InternalServerError, health.StatusCode);
        var body = await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("silo-2", JsonDocument.Parse(body).RootElement.GetProperty("failures").GetProperty("silos").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eviction_under_a_request_stream_fails_no_request()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var silos = new[] { await cluster.StartSiloAsync("silo-a"), await cluster.StartSiloAsync("silo-b") };
        var gateway = await cluster.StartGatewayAsync();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        var (ok, failures) = await StreamWhileAsync(gateway, async () =>
        {
            var evicted = 0;
            for (var i = 0; i < 8; i++)
            {
                await Task.Delay(150, TestContext.Current.CancellationToken);
                var answer = await AdminAsync(gateway, HttpMethod.Post, "/admin/models/evict", i % 2 == 0 ? string.Empty : "{\"revision\": \"1700000100000\"}");
                evicted += answer.GetProperty("evicted").GetInt32();
                Assert.All(answer.GetProperty("silos").EnumerateArray(), s => Assert.Equal("ok", s.GetProperty("status").GetString()));
            }

            Assert.True(evicted > 0, "Nothing was evicted.");
        });
        Assert.Empty(failures);
        Assert.True(ok > 20, $"Only {ok} requests ran.");
        Assert.True(silos.Sum(s => s.Get<ModelGrainInstruments>().LoadCount) > s_targets.Length, "The evicted models were not loaded again.");
    }

    [Fact]
    public async Task Reload_serves_a_model_rebuilt_in_place_without_failing_requests()
    {
        var root = collection.CopyTo("reload");
        try
        {
            await using var cluster = await ClusterHarness.StartAsync(Path.Combine(root, TestCollection.CurrentRevision));
            await cluster.StartSiloAsync("silo-a");
            await cluster.StartSiloAsync("silo-b");
            var gateway = await cluster.StartGatewayAsync();
            await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
            var build = collection.Current("pump-1");
            var body = GordoPayload.FromDataset(build.Data, 0, 2, null);
            var key = GordoPayload.Key(build.Data.TimestampsUtc[0]);
            double Output(JsonElement json) => json.GetProperty("data").GetProperty("model-output").GetProperty(build.Targets[0]).GetProperty(key).GetDouble();
            var before = Output(await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).JsonAsync(HttpStatusCode.OK));

            // Rebuild pump-1 in place with another seed, under a request stream, then reload it.
            BuildResult? rebuilt = null;
            var (ok, failures) = await StreamWhileAsync(gateway, async () =>
            {
                rebuilt = await Task.Run(() => ModelTrainer.Build(new ModelBuildSpec { Name = "pump-1", Tags = 6, Seed = 99, Rows = 1200 }, Path.Combine(root, TestCollection.CurrentRevision)));
                var answer = await AdminAsync(gateway, HttpMethod.Post, "/admin/models/reload", "{\"target\": \"pump-1\"}");
                var results = answer.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("result").ValueKind == JsonValueKind.Object)
                    .SelectMany(s => s.GetProperty("result").EnumerateObject()).ToList();
                Assert.Contains(results, r => r.Name == $"{TestCollection.CurrentRevision}/pump-1" && r.Value.GetString()!.StartsWith("loaded", StringComparison.Ordinal));
            }, targets: ["pump-1", "windowed-smm"]);
            Assert.Empty(failures);

            var after = Output(await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).JsonAsync(HttpStatusCode.OK));
            Assert.NotEqual(before, after);
            var expected = rebuilt!.Model.Predict(build.Data.Values.SliceRows(0, 2))[0, 0];
            Assert.Equal(expected, after, 1e-3 * Math.Max(1, Math.Abs(expected)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_request_id_sent_by_a_client_appears_in_the_logs_of_the_silo_that_ran_the_grain()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var silos = new[] { await cluster.StartSiloAsync("silo-a"), await cluster.StartSiloAsync("silo-b") };
        var gateway = await cluster.StartGatewayAsync();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        foreach (var silo in silos)
        {
            await ClusterHarness.WaitForActiveSilosAsync(silo, 2);
        }

        // Activate the grain (metadata only: its model is not loaded yet) and find its owner.
        var target = "windowed-ewma";
        await (await silos[0].GetAsync($"/gordo/v0/p/{target}/metadata")).JsonAsync(HttpStatusCode.OK);
        var ownerHost = silos.Single(s => s.Get<ModelActivations>().Count == 1);
        var entry = silos.Single(s => s != ownerHost); // enter through the silo that does not own the grain

        var build = collection.Current(target);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/gordo/v0/p/{target}/anomaly/prediction")
        {
            Content = new StringContent(GordoPayload.FromDataset(build.Data, 0, 5, build.Targets), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "trace-me-4711");
        var response = await entry.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("trace-me-4711", Assert.Single(response.Headers.GetValues("X-Request-ID")));

        Assert.True(
            ownerHost.Logs.Entries.Any(e => e.RequestId == "trace-me-4711" && e.Message.StartsWith($"Loaded model {target}", StringComparison.Ordinal)),
            $"The owner ({Array.IndexOf(silos, ownerHost)}) did not log the load with the request id. Logs:\n{LogsOf(silos)}");
        Assert.Contains(entry.Logs.Entries, e => e.RequestId == "trace-me-4711" && e.Category == "Gordo.Access");
        Assert.DoesNotContain(entry.Logs.Entries, e => e.Message.StartsWith($"Loaded model {target}", StringComparison.Ordinal));

        // The owner counted the load, the entry silo none.
        var entryMetrics = PrometheusExposition.Parse(await (await entry.GetAsync("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Null(entryMetrics.Value("gordo_model_loads_total"));
        var ownerMetrics = PrometheusExposition.Parse(await (await ownerHost.GetAsync("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(1, ownerMetrics.Value("gordo_model_loads_total"));

        // Without an incoming id one is made up, and echoed.
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, "/server-version");
        var generated = Assert.Single((await entry.Client.SendAsync(anonymous, TestContext.Current.CancellationToken)).Headers.GetValues("X-Request-ID"));
        Assert.Matches("^[0-9a-f]{24}$", generated);
    }

    private static string LogsOf(GordoServerHost[] silos) => string.Join("\n", silos.SelectMany((silo, i) =>
        silo.Logs.Entries.Select(e => $"silo {i}: {e.Level} {e.Category} [{e.RequestId}] {e.Message}")));

    private async Task<(int Ok, List<string> Failures)> StreamWhileAsync(GordoServerHost gateway, Func<Task> during, string[]? targets = null)
    {
        targets ??= s_targets;
        var payloads = targets.ToDictionary(t => t, t =>
        {
            var build = collection.Current(t);
            return GordoPayload.FromDataset(build.Data, 10, 4, build.Targets);
        });
        var stream = RequestStream.Start(gateway, payloads);
        try
        {
            await during();
        }
        finally
        {
            await stream.StopAsync();
        }

        return (stream.Ok, [.. stream.Failures]);
    }

    internal static async Task<JsonElement> AdminAsync(GordoServerHost host, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-API-Key", ClusterHarness.AdminKey);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await (await host.Client.SendAsync(request, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
