using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>
/// What the failover tests start from: every kind of example model loaded through the gateway, and
/// the silo process that owns at least one of them, to kill or freeze under a request stream.
/// </summary>
internal sealed record FailoverWorkload(IReadOnlyDictionary<string, string> Payloads, JsonElement Victim, Process VictimProcess, Dictionary<string, List<string>> Before)
{
    public static readonly string[] Targets = ["pump-1", "windowed-smm", "windowed-sma", "windowed-ewma", "lookback-3", "subset-targets", "single-tag", "plain"];

    public string VictimAddress => Victim.GetProperty("address").GetString()!;

    /// <summary>Loads each target once through <paramref name="gateway"/> (100 rows' worth of 6-row
    /// requests) and picks a silo process that holds one of them.</summary>
    public static async Task<FailoverWorkload> LoadAsync(TestCollection collection, GordoServerHost gateway, IEnumerable<(Process Process, Uri Address)> processes)
    {
        var payloads = Targets.ToDictionary(t => t, t =>
        {
            var build = collection.Current(t);
            return GordoPayload.FromDataset(build.Data, 100, 6, build.Targets);
        });
        foreach (var target in Targets)
        {
            await (await gateway.PostJsonAsync($"/gordo/v0/p/{target}/prediction", payloads[target])).JsonAsync(HttpStatusCode.OK);
        }

        var before = await ClusterHarness.GrainLocationsAsync(gateway);
        var rows = await ClusterHarness.SiloRowsAsync(gateway);
        var victim = rows.First(r => before.Values.Any(v => v.Contains(r.GetProperty("address").GetString()!)));
        var victimProcess = processes.Single(p => victim.GetProperty("httpEndpoint").GetString()!.TrimEnd('/') == p.Address.ToString().TrimEnd('/')).Process;
        return new FailoverWorkload(payloads, victim, victimProcess, before);
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, TERM, STOP, CONT) to a silo process.</summary>
    public static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
