using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>
/// With a cluster certificate, Orleans' silo and gateway ports speak mutual TLS: the cluster works for the
/// processes that have it, and a process without it can neither join as a silo nor call a grain.
/// </summary>
public sealed class ClusterTlsTests(TestCollection collection)
{
    [Fact]
    public async Task Only_processes_with_the_cluster_certificate_join_or_call()
    {
        var certificate = Path.Combine(Path.GetTempPath(), $"gordo-cluster-{Guid.NewGuid():N}.p12");
        var script = Path.Combine(RepositoryRoot(), "deploy", "cluster-cert.sh");
        using (var make = Process.Start("bash", [script, certificate, "test-password"])!)
        {
            await make.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, make.ExitCode);
        }

        try
        {
            await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
            var tls = new Dictionary<string, string?>
            {
                ["Gordo:Cluster:Certificate"] = certificate,
                ["Gordo:Cluster:CertificatePassword"] = "test-password",
            };
            var silo = await cluster.StartSiloAsync("silo-a", tls);
            var (_, second) = await cluster.StartSiloProcessAsync("silo-b", tls);
            var gateway = await cluster.StartGatewayAsync(tls);
            await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
            var build = collection.Current("pump-1");
            var body = GordoPayload.FromDataset(build.Data, 0, 5, build.Targets);
            await (await gateway.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);
            using (var viaProcess = new HttpClient { BaseAddress = second })
            {
                using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                Assert.Equal(HttpStatusCode.OK, (await viaProcess.PostAsync("/gordo/v0/p/windowed-smm/anomaly/prediction", content, TestContext.Current.CancellationToken)).StatusCode);
            }

            // Without the certificate: a silo that tries to join, and a gateway that tries to call.
            var intruderSilo = cluster.StartProcessWithoutWaiting("intruder-silo", gateway: false, out _);
            var intruderGateway = cluster.StartProcessWithoutWaiting("intruder-gateway", gateway: true, out var intruderAddress);
            await Task.Delay(TimeSpan.FromSeconds(8), TestContext.Current.CancellationToken);

            var rows = await ClusterHarness.SiloRowsAsync(gateway);
            Assert.Equal(2, rows.Count(r => r.GetProperty("status").GetString() == "Active"));
            Assert.DoesNotContain(rows, r => r.GetProperty("name").GetString() == "intruder-silo" && r.GetProperty("status").GetString() == "Active");
            Assert.Equal(2, (await silo.Get<Gordo.Silo.Cluster.ClusterMembers>().GetAsync(onlyActive: true, TimeSpan.FromSeconds(2), CancellationToken.None)).Count);

            using var client = new HttpClient { BaseAddress = intruderAddress, Timeout = TimeSpan.FromSeconds(10) };
            HttpStatusCode? answered = null;
            try
            {
                using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                answered = (await client.PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", content, TestContext.Current.CancellationToken)).StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Its Orleans client never connected, so it never served.
            }

            Assert.NotEqual(HttpStatusCode.OK, answered);
            intruderSilo.Kill(entireProcessTree: true);
            intruderGateway.Kill(entireProcessTree: true);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    private static string RepositoryRoot() => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
}
