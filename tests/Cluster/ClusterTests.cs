using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gordo.GrainInterfaces;
using Gordo.Grains.Activations;
using Gordo.Grains.Models;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>
/// A real Orleans cluster: redis-server, silos with their own Kestrel, silo and gateway ports (in process,
/// or as processes that are killed), and a gateway (an Orleans client). Grains live on exactly one silo,
/// move when silos come and go, and no request fails because of it.
/// </summary>
public sealed class ClusterTests(TestCollection collection)
{
    private static readonly string[] s_targets = FailoverWorkload.Targets;

    [Fact]
    public async Task Each_target_is_active_on_exactly_one_silo_while_requests_arrive_through_every_silo_and_the_gateway()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var silos = new[] { await cluster.StartSiloAsync("silo-a"), await cluster.StartSiloAsync("silo-b"), await cluster.StartSiloAsync("silo-c") };
        var gateway = await cluster.StartGatewayAsync();
        foreach (var host in silos.Append(gateway))
        {
            await ClusterHarness.WaitForActiveSilosAsync(host, 3);
        }

        var bodies = new Dictionary<string, string>();
        foreach (var target in s_targets)
        {
            var build = collection.Current(target);
            var payload = GordoPayload.FromDataset(build.Data, 30, 8, build.Targets);
            foreach (var entry in silos.Append(gateway))
            {
                var response = await entry.PostJsonAsync($"/gordo/v0/p/{target}/prediction", payload);
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{target} through {entry.Address}: {(int)response.StatusCode} {body}");
                Assert.Equal(bodies.TryAdd(target, body) ? body : bodies[target], body);
            }
        }

        // The cluster view proves it: every target once, on one silo.
        var locations = await ClusterHarness.GrainLocationsAsync(gateway);
        foreach (var target in s_targets)
        {
            Assert.Single(locations[$"model/{TestCollection.CurrentRevision}/{target}"]);
        }

        Assert.Equal(s_targets.Length, silos.Sum(s => s.Get<ModelActivations>().Count));
        Assert.True(silos.Count(s => s.Get<ModelActivations>().Count > 0) >= 2, "Eight targets over three silos should use more than one.");

        var clusterView = await ClusterHarness.AdminAsync(gateway, "/admin/cluster");
        var rows = clusterView.GetProperty("silos").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("Active", r.GetProperty("status").GetString());
            Assert.Equal("ok", r.GetProperty("reply").GetString());
        });
        Assert.Equal(s_targets.Length, rows.Sum(r => r.GetProperty("activations").GetInt32()));
        Assert.All(rows.Where(r => r.GetProperty("activations").GetInt32() > 0), r => Assert.True(r.GetProperty("loadedBytes").GetInt64() > 0));
        Assert.Equal(["silo-a", "silo-b", "silo-c"], rows.Select(r => r.GetProperty("name").GetString()!).Order());
    }

    [Theory]
    [InlineData("KILL")]
    [InlineData("TERM")]
    public async Task Killing_a_silo_under_a_steady_request_stream_fails_no_request(string signal)
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var fast = ClusterHarness.FastDeath;
        var processes = new[]
        {
            await cluster.StartSiloProcessAsync("silo-1", fast), await cluster.StartSiloProcessAsync("silo-2", fast),
            await cluster.StartSiloProcessAsync("silo-3", fast),
        };
        var gateway = await cluster.StartGatewayAsync(fast);
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 3);

        var workload = await FailoverWorkload.LoadAsync(collection, gateway, processes);
        var victimAddress = workload.VictimAddress;
        var victimProcess = workload.VictimProcess;
        var victimTargets = workload.Before.Where(kv => kv.Value.Contains(victimAddress)).Select(kv => kv.Key).ToList();
        Assert.NotEmpty(victimTargets);

        var stream = RequestStream.Start(gateway, workload.Payloads);

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        var okBeforeKill = stream.Ok;
        FailoverWorkload.Signal(signal, victimProcess.Id); // KILL: no clean leave; TERM: Orleans' graceful shutdown
        var killed = Stopwatch.StartNew();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2, TimeSpan.FromSeconds(30));
        var detected = killed.Elapsed;
        // A TERM'd silo leaves the view when its graceful shutdown starts and may serve its activations
        // until that ends: the stream goes on until the process is gone, and a while after.
        await victimProcess.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        await stream.StopAsync();
        var ok = stream.Ok;

        Assert.True(stream.Failures.Count == 0, $"{stream.Failures.Count} failed after {ok} ok; detected after {detected}: " + string.Join(" | ", stream.Failures.Take(3)));
        Assert.True(okBeforeKill > 0 && ok > okBeforeKill + s_targets.Length, $"{ok} requests succeeded, {okBeforeKill} before the kill");
        // Detection is about one death timeout when the box is idle; with the whole suite running on two
        // cores it has taken 12.8 s (probes, votes and the test process's own view all wait for CPU).
        Assert.True(detected < ClusterHarness.FastDeathTimeout * 8, $"The dead silo left the view after {detected}, against a death timeout of {ClusterHarness.FastDeathTimeout}.");

        var after = await ClusterHarness.GrainLocationsAsync(gateway);
        foreach (var target in victimTargets)
        {
            var silos = after.GetValueOrDefault(target) ?? [];
            Assert.True(silos.Count == 1, $"{target} is on {silos.Count} silos; the listing: {string.Join("; ", after.Select(kv => $"{kv.Key} on {string.Join(", ", kv.Value)}"))}");
            Assert.NotEqual(victimAddress, silos[0]);
        }

        var rows = await ClusterHarness.SiloRowsAsync(gateway);
        Assert.Equal("Dead", rows.Single(r => r.GetProperty("address").GetString() == victimAddress).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_joining_silo_takes_its_share_of_new_activations_and_every_model_stays_on_one_silo()
    {
        var root = collection.CopyTo("join");
        try
        {
            var targets = ManyTargets(root, 60);
            await using var cluster = await ClusterHarness.StartAsync(Path.Combine(root, TestCollection.CurrentRevision));
            var first = await cluster.StartSiloAsync("silo-a");
            var second = await cluster.StartSiloAsync("silo-b");
            var gateway = await cluster.StartGatewayAsync();
            await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
            var early = targets.Take(20).ToList();
            await RequestAllAsync(gateway, early);
            Assert.Equal(early.Count, first.Get<ModelActivations>().Count + second.Get<ModelActivations>().Count);

            var third = await cluster.StartSiloAsync("silo-c");
            foreach (var host in new[] { gateway, first, second, third })
            {
                await ClusterHarness.WaitForActiveSilosAsync(host, 3);
            }

            var late = targets.Skip(20).ToList();
            await RequestAllAsync(gateway, late);
            await RequestAllAsync(first, targets);

            // Placement hashes the key over the silos: the newcomer gets a share of what activates after it joined.
            var onThird = third.Get<ModelActivations>().Snapshot().Select(g => g.Key).ToHashSet();
            Assert.InRange(onThird.Count, 5, late.Count - 5);
            Assert.All(onThird, key => Assert.Contains(key.Split('/')[1], late));
            var locations = await ClusterHarness.GrainLocationsAsync(gateway);
            Assert.Equal(targets.Count, locations.Count);
            Assert.All(targets, t => Assert.Single(locations[$"model/{TestCollection.CurrentRevision}/{t}"]));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Sixty_models_spread_over_three_silos_with_at_least_ten_on_each()
    {
        var root = collection.CopyTo("spread");
        try
        {
            var targets = ManyTargets(root, 60);
            await using var cluster = await ClusterHarness.StartAsync(Path.Combine(root, TestCollection.CurrentRevision));
            var silos = new[] { await cluster.StartSiloAsync("silo-a"), await cluster.StartSiloAsync("silo-b"), await cluster.StartSiloAsync("silo-c") };
            foreach (var silo in silos)
            {
                await ClusterHarness.WaitForActiveSilosAsync(silo, 3);
            }

            // A burst, all at once through one silo: Orleans' default placement would keep most of it local.
            var responses = await Task.WhenAll(targets.Select(t => silos[0].PostJsonAsync($"/gordo/v0/p/{t}/prediction", "{\"X\": [[100.0], [101.0]]}")));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var counts = silos.Select(s => s.Get<ModelActivations>().Count).ToArray();
            Assert.Equal(targets.Count, counts.Sum());
            Assert.All(counts, c => Assert.True(c >= 10, $"Silos hold {string.Join("/", counts)} of 60 models."));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_clean_leave_moves_grains_at_once_without_waiting_for_the_death_timeout()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var first = await cluster.StartSiloAsync("silo-a");
        var second = await cluster.StartSiloAsync("silo-b");
        var gateway = await cluster.StartGatewayAsync();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        foreach (var target in s_targets)
        {
            var build = collection.Current(target);
            await (await gateway.PostJsonAsync($"/gordo/v0/p/{target}/prediction", GordoPayload.FromDataset(build.Data, 0, 4, build.Targets))).JsonAsync(HttpStatusCode.OK);
        }

        var leaving = first.Get<ModelActivations>().Count > 0 ? first : second;
        var staying = leaving == first ? second : first;
        var left = Stopwatch.StartNew();
        await leaving.DisposeAsync();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 1, TimeSpan.FromSeconds(5));
        Assert.True(left.Elapsed < TimeSpan.FromSeconds(10), $"The clean leave took {left.Elapsed}.");
        foreach (var target in s_targets)
        {
            var build = collection.Current(target);
            await (await gateway.PostJsonAsync($"/gordo/v0/p/{target}/prediction", GordoPayload.FromDataset(build.Data, 0, 4, build.Targets))).JsonAsync(HttpStatusCode.OK);
        }

        Assert.Equal(s_targets.Length, staying.Get<ModelActivations>().Count);
    }

    [Fact]
    public async Task Silos_keep_serving_while_redis_is_down_and_register_again_when_it_returns()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var first = await cluster.StartSiloAsync("silo-a");
        var second = await cluster.StartSiloAsync("silo-b");
        var gateway = await cluster.StartGatewayAsync();
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        var build = collection.Current("pump-1");
        var payload = GordoPayload.FromDataset(build.Data, 0, 4, build.Targets);

        var failures = new ConcurrentBag<string>();
        var ok = 0;
        using var stop = new CancellationTokenSource();
        var stream = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var entry = (i % 3) switch { 0 => first, 1 => second, _ => gateway };
                var target = s_targets[i % s_targets.Length];
                var b = collection.Current(target);
                var response = await entry.PostJsonAsync($"/gordo/v0/p/{target}/prediction", GordoPayload.FromDataset(b.Data, 0, 4, b.Targets));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode}");
                }
            }
        }, TestContext.Current.CancellationToken);

        await Task.Delay(500, TestContext.Current.CancellationToken);
        foreach (var target in s_targets)
        {
            var b = collection.Current(target);
            await (await gateway.PostJsonAsync($"/gordo/v0/p/{target}/prediction", GordoPayload.FromDataset(b.Data, 0, 4, b.Targets))).JsonAsync(HttpStatusCode.OK);
        }

        var loads = first.Get<ModelGrainInstruments>().LoadCount + second.Get<ModelGrainInstruments>().LoadCount;
        await cluster.Redis.StopAsync();
        var okWhenDown = Volatile.Read(ref ok);
        await Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(Volatile.Read(ref ok) > okWhenDown, "No request succeeded while Redis was down.");
        await ClusterHarness.WaitForActiveSilosAsync(first, 2, TimeSpan.FromSeconds(1));

        await cluster.Redis.StartAgainAsync(); // empty: the membership table is gone
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await stream;
        Assert.Empty(failures);
        var rows = await ClusterHarness.SiloRowsAsync(gateway);
        Assert.Equal(2, rows.Count(r => r.GetProperty("status").GetString() == "Active"));
        await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", payload)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(loads, first.Get<ModelGrainInstruments>().LoadCount + second.Get<ModelGrainInstruments>().LoadCount);
    }

    [Fact]
    public async Task A_silo_started_while_redis_is_down_joins_when_it_is_back_and_takes_the_stored_log_levels()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var first = await cluster.StartSiloAsync("silo-a");
        await ClusterHarness.WaitForActiveSilosAsync(first, 1);
        const string category = "Gordo.Grains.Activations.ModelActivations";

        // The silo has run a moment (its keeper has read the membership table, several times a second).
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        await cluster.Redis.StopAsync();
        var late = cluster.StartProcessWithoutWaiting("silo-late", gateway: false, out var lateAddress, new Dictionary<string, string?> { ["Gordo:Logging:Period"] = "00:00:01" });
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.False(late.HasExited, "The silo gave up while Redis was down.");

        await cluster.Redis.StartAgainAsync(); // empty: silo-a writes the table back, then the late silo joins
        await ClusterHarness.WaitForRedisAsync(first);

        // A level stored before the late silo is a member: the broadcast does not reach it, its own re-read must.
        await Operations.ClusterOperationsTests.AdminAsync(first, HttpMethod.Put, "/admin/logging/level", $"{{\"name\": \"{category}\", \"level\": \"Trace\"}}");
        await ClusterHarness.WaitForActiveSilosAsync(first, 2, TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = lateAddress };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await TryGetAsync(client, "/healthcheck")) != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The late silo never served.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        // Its first read of the stored levels failed (Redis was down); it reads them again by itself.
        var levels = new List<string?>();
        while (true)
        {
            var report = await Operations.ClusterOperationsTests.AdminAsync(first, HttpMethod.Get, $"/admin/logging/level?name={category}");
            levels = [.. report.GetProperty("silos").EnumerateArray().Select(e => e.TryGetProperty("result", out var r) ? r.GetProperty("level").GetString() : null)];
            if (levels.Count == 2 && levels.All(l => l == "Trace"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The late silo did not take the stored level: {string.Join(", ", levels)}.");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient client, string path)
    {
        try
        {
            return (await client.GetAsync(path, TestContext.Current.CancellationToken)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_call_to_an_unreachable_owner_ends_at_its_deadline_with_a_clear_503()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var slowDeath = new Dictionary<string, string?> { ["Gordo:Cluster:DeathTimeout"] = "00:01:00" };
        var (silo, _) = await cluster.StartSiloProcessAsync("doomed", slowDeath);
        var gateway = await cluster.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Gordo:Cluster:DeathTimeout"] = "00:01:00",
            ["Gordo:Silo:CallTimeout"] = "00:00:02",
        });
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 1);
        var build = collection.Current("pump-1");
        var payload = GordoPayload.FromDataset(build.Data, 0, 3, null);
        await ClusterHarness.WaitForModelAsync(gateway, "/gordo/v0/p/pump-1/prediction", payload);

        silo.Kill(entireProcessTree: true); // unreachable, but not declared dead for a minute
        var watch = Stopwatch.StartNew();
        var error = await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/prediction", payload)).ErrorAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("within 2 s", error, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"The call took {watch.Elapsed} against a 2 s deadline.");
    }

    [Fact]
    public async Task A_call_to_a_frozen_owner_ends_at_its_deadline_with_a_clear_503()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var slowDeath = new Dictionary<string, string?> { ["Gordo:Cluster:DeathTimeout"] = "00:01:00" };
        var (silo, _) = await cluster.StartSiloProcessAsync("frozen", slowDeath);
        var gateway = await cluster.StartGatewayAsync(new Dictionary<string, string?>
        {
            ["Gordo:Cluster:DeathTimeout"] = "00:01:00",
            ["Gordo:Silo:CallTimeout"] = "00:00:02",
        });
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 1);
        var build = collection.Current("pump-1");
        var payload = GordoPayload.FromDataset(build.Data, 0, 3, null);
        await ClusterHarness.WaitForModelAsync(gateway, "/gordo/v0/p/pump-1/prediction", payload);

        // A stopped process keeps its socket open: the connection stands, the answer never comes.
        using (var stop = Process.Start("kill", ["-STOP", silo.Id.ToString(CultureInfo.InvariantCulture)])!)
        {
            await stop.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        try
        {
            var watch = Stopwatch.StartNew();
            var error = await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/prediction", payload)).ErrorAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("within 2 s", error, StringComparison.Ordinal);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"The call took {watch.Elapsed} against a 2 s deadline.");
        }
        finally
        {
            using var resume = Process.Start("kill", ["-CONT", silo.Id.ToString(CultureInfo.InvariantCulture)])!;
            await resume.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Copies one small model under many names, so that placement has enough grains to spread.</summary>
    internal static List<string> ManyTargets(string root, int count)
    {
        var revision = Path.Combine(root, TestCollection.CurrentRevision);
        var source = Path.Combine(revision, "single-tag");
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = $"asset-{i:D3}";
            Directory.CreateDirectory(Path.Combine(revision, name));
            foreach (var file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(revision, name, Path.GetFileName(file)));
            }

            names.Add(name);
        }

        return names;
    }

    private static async Task RequestAllAsync(GordoServerHost entry, IEnumerable<string> targets)
    {
        foreach (var target in targets)
        {
            await (await entry.PostJsonAsync($"/gordo/v0/p/{target}/prediction", "{\"X\": [[100.0], [101.0]]}")).JsonAsync(HttpStatusCode.OK);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(50);
        }
    }
}
