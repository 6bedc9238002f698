using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>
/// A silo frozen (SIGSTOP) for longer than the death timeout, under a request stream through the
/// gateway. It measures how long failure detection and the resend take, so it runs alone: beside the
/// parallel test classes the probes of a 2-core machine are late by seconds (11.9 s once, against a
/// bound of 11), which is the machine's load and not the failover.
/// </summary>
[Collection(IsolatedCollection.Name)]
public sealed class FrozenSiloTests(TestCollection collection)
{
    private static readonly string[] s_targets = ["pump-1", "windowed-smm", "windowed-sma", "windowed-ewma", "lookback-3", "subset-targets", "single-tag", "plain"];

    [Fact]
    public async Task A_frozen_silo_under_a_request_stream_fails_no_request_and_holds_none_past_eleven_seconds()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var fourSeconds = new Dictionary<string, string?> { ["Gordo:Cluster:DeathTimeout"] = "00:00:04" };
        var processes = new[]
        {
            await cluster.StartSiloProcessAsync("silo-1", fourSeconds), await cluster.StartSiloProcessAsync("silo-2", fourSeconds),
            await cluster.StartSiloProcessAsync("silo-3", fourSeconds),
        };
        var gateway = await cluster.StartGatewayAsync(fourSeconds);
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 3);
        var payloads = s_targets.ToDictionary(t => t, t =>
        {
            var build = collection.Current(t);
            return GordoPayload.FromDataset(build.Data, 100, 6, build.Targets);
        });
        foreach (var target in s_targets)
        {
            await (await gateway.PostJsonAsync($"/gordo/v0/p/{target}/prediction", payloads[target])).JsonAsync(HttpStatusCode.OK);
        }

        var before = await ClusterHarness.GrainLocationsAsync(gateway);
        var rows = await ClusterHarness.SiloRowsAsync(gateway);
        var victim = rows.First(r => before.Values.Any(v => v.Contains(r.GetProperty("address").GetString()!)));
        var victimProcess = processes.Single(p => victim.GetProperty("httpEndpoint").GetString()!.TrimEnd('/') == p.Address.ToString().TrimEnd('/')).Process;

        var stream = RequestStream.Start(gateway, payloads);

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Signal("STOP", victimProcess.Id);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(14), TestContext.Current.CancellationToken);
        }
        finally
        {
            Signal("CONT", victimProcess.Id);
        }

        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await stream.StopAsync();
        Assert.True(stream.Failures.Count == 0, $"{stream.Failures.Count} failed after {stream.Ok} ok: " + string.Join(" | ", stream.Failures.Take(3)));
        Assert.True(stream.Slowest < TimeSpan.FromSeconds(11), $"A request waited {stream.Slowest} on the frozen silo.");
        Assert.True(stream.Ok > 100, $"Only {stream.Ok} requests were answered.");
        var after = await ClusterHarness.GrainLocationsAsync(gateway);
        Assert.All(s_targets, t => Assert.NotEqual(victim.GetProperty("address").GetString(), Assert.Single(after[$"model/{TestCollection.CurrentRevision}/{t}"])));
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
