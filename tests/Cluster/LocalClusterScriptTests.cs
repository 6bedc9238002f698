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
        // Nothing dies here: a death timeout that outlasts a stall of this loaded machine keeps a slow
        // silo from being voted out while the cluster comes up.
        start.Environment["GORDO_DEATH_TIMEOUT"] = "15";
        // The script keeps its logs under TMPDIR; a test-owned one lets a failure show them.
        var work = Directory.CreateTempSubdirectory("gordo-script-test-");
        start.Environment["TMPDIR"] = work.FullName;
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
            await Within(Task.WhenAny(ready.Task, script.WaitForExitAsync(TestContext.Current.CancellationToken)), TimeSpan.FromSeconds(90), "come up", script, output, work);
            Assert.True(ready.Task.IsCompleted, "The script ended before it was ready:\n" + Report(output, work));
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

            await Within(script.WaitForExitAsync(TestContext.Current.CancellationToken), TimeSpan.FromSeconds(60), "stop after Ctrl-C", script, output, work);
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

            work.Delete(recursive: true);
        }
    }

    private static async Task Within(Task task, TimeSpan deadline, string what, Process script, System.Text.StringBuilder output, DirectoryInfo work)
    {
        if (await Task.WhenAny(task, Task.Delay(deadline, TestContext.Current.CancellationToken)) != task)
        {
            Assert.Fail($"The script did not {what} within {deadline.TotalSeconds:F0} s (exited: {script.HasExited}).\n{Report(output, work)}");
        }
    }

    /// <summary>The script's own output and the last lines of every log it kept.</summary>
    private static string Report(System.Text.StringBuilder output, DirectoryInfo work)
    {
        var report = new System.Text.StringBuilder();
        lock (output)
        {
            report.Append("--- script output ---\n").Append(output);
        }

        foreach (var log in work.EnumerateFiles("*.log", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(log.FullName);
            report.Append($"--- {log.Name}, last 15 of {lines.Length} lines ---\n");
            foreach (var line in lines.TakeLast(15))
            {
                report.Append(line.Length > 400 ? line[..400] : line).Append('\n');
            }
        }

        return report.ToString();
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
