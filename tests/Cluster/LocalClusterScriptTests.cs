using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>deploy/local-cluster.sh brings up Redis, silos and a gateway, serves through the gateway,
/// and stops everything it started on Ctrl-C (SIGINT).</summary>
public sealed class LocalClusterScriptTests(TestCollection collection)
{
    [Fact]
    public async Task The_local_cluster_script_serves_through_its_gateway_and_stops_on_ctrl_c()
    {
        var repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", ".."));
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var gatewayPort = FreePorts.Next();
        var redisPort = FreePorts.Next();
        // SIGINT back to its default first, as a terminal runs the script: a test host started from a
        // background shell inherits SIGINT ignored, and bash cannot trap a signal ignored on entry.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "bash", Path.Combine(repository, "deploy", "local-cluster.sh"), "-n", "2", "--no-build", "--config", configuration])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository,
        };
        start.Environment["GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["REDIS_PORT"] = redisPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["SILO_HTTP_BASE"] = FreePorts.NextRange(2).ToString(CultureInfo.InvariantCulture);
        start.Environment["SILO_PORT_BASE"] = FreePorts.NextRange(2).ToString(CultureInfo.InvariantCulture);
        start.Environment["GATEWAY_PORT_BASE"] = FreePorts.NextRange(2).ToString(CultureInfo.InvariantCulture);
        start.Environment["MODEL_COLLECTION_DIR"] = collection.CurrentDirectory;
        start.Environment["GORDO_DEATH_TIMEOUT"] = "2";
        using var script = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        script.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("Ready.", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        script.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
            Assert.Contains($"http://127.0.0.1:{gatewayPort}", output.ToString(), StringComparison.Ordinal);

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}") };
            var build = collection.Current("pump-1");
            using var content = new StringContent(GordoPayload.FromDataset(build.Data, 0, 5, build.Targets), System.Text.Encoding.UTF8, "application/json");
            var response = await client.PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", content, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
            admin.Headers.Add("X-API-Key", "local-cluster");
            var cluster = await (await client.SendAsync(admin, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(2, cluster.GetProperty("silos").EnumerateArray().Count(s => s.GetProperty("status").GetString() == "Active"));

            // Ctrl-C.
            using (var kill = Process.Start("kill", ["-INT", script.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            await script.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            Assert.Contains("Stopped.", output.ToString(), StringComparison.Ordinal);
            Assert.False(await ListensAsync(gatewayPort), "The gateway still listens.");
            Assert.False(await ListensAsync(redisPort), "Redis still listens.");
        }
        finally
        {
            if (!script.HasExited)
            {
                script.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<bool> ListensAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
