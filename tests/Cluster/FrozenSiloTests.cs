using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>
/// A silo frozen (SIGSTOP) for five times the death timeout, under a request stream through the
/// gateway: no request fails, and none waits until the silo resumes, so each was sent again to a live
/// silo during the freeze. Orleans lengthens its probe timeouts while the prober's own health is
/// degraded (a request stream on 2 cores does that), so detection may take well over the death
/// timeout (11.9 and 14.2 s were seen with a 14 s freeze): the freeze leaves it room. It runs alone,
/// beside no parallel test class.
/// </summary>
[Collection(IsolatedCollection.Name)]
public sealed class FrozenSiloTests(TestCollection collection)
{
    private static readonly TimeSpan s_freeze = TimeSpan.FromSeconds(20);
    private static readonly string[] s_targets = FailoverWorkload.Targets;

    [Fact]
    public async Task A_frozen_silo_under_a_request_stream_fails_no_request_and_holds_none_until_it_resumes()
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
        var workload = await FailoverWorkload.LoadAsync(collection, gateway, processes);
        var victim = workload.Victim;
        var victimProcess = workload.VictimProcess;

        var stream = RequestStream.Start(gateway, workload.Payloads);

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        FailoverWorkload.Signal("STOP", victimProcess.Id);
        try
        {
            await Task.Delay(s_freeze, TestContext.Current.CancellationToken);
        }
        finally
        {
            FailoverWorkload.Signal("CONT", victimProcess.Id);
        }

        await Task.Delay(2000, TestContext.Current.CancellationToken);
        await stream.StopAsync();
        Assert.True(stream.Failures.Count == 0, $"{stream.Failures.Count} failed after {stream.Ok} ok: " + string.Join(" | ", stream.Failures.Take(3)));
        // A request that waited for the silo to resume waited at least the freeze, less the second before it.
        Assert.True(stream.Slowest < s_freeze - TimeSpan.FromSeconds(3), $"A request waited {stream.Slowest} on the frozen silo (frozen for {s_freeze}).");
        Assert.True(stream.Ok > 100, $"Only {stream.Ok} requests were answered.");
        var after = await ClusterHarness.GrainLocationsAsync(gateway);
        var victimAddress = victim.GetProperty("address").GetString();
        var misplaced = s_targets.Where(t => after.GetValueOrDefault($"model/{TestCollection.CurrentRevision}/{t}") is not [var only] || only == victimAddress).ToList();
        Assert.True(misplaced.Count == 0, $"Not active once, off the victim {victimAddress}: {string.Join(", ", misplaced)}. Locations: "
            + string.Join("; ", after.Select(a => $"{a.Key} on {string.Join(" and ", a.Value)}")));
    }
}
