using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Operations;

/// <summary>What a gordo-server process writes to stdout: JSON lines by default, plain text with <c>GORDO_LOG_FORMAT=text</c>.</summary>
public sealed class LogOutputTests(TestCollection collection)
{
    [Fact]
    public async Task By_default_every_stdout_line_is_a_json_object_with_the_request_id_and_silo()
    {
        await using var server = await ServerProcess.StartAsync(collection.CurrentDirectory, new() { ["GORDO_SILO_NAME"] = "log-silo-1" });
        var build = collection.Current("pump-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/gordo/v0/p/pump-1/anomaly/prediction")
        {
            Content = new StringContent(GordoPayload.FromDataset(build.Data, 0, 5, build.Targets), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Correlation-ID", "corr-\"quoted\"-42");
        var response = await server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("corr-\"quoted\"-42", Assert.Single(response.Headers.GetValues("X-Correlation-ID")));
        Assert.Equal("corr-\"quoted\"-42", Assert.Single(response.Headers.GetValues("X-Request-ID")));

        var lines = await server.WaitForLinesAsync(l => l.Contains("\"category\":\"Gordo.Access\"", StringComparison.Ordinal) && l.Contains("corr-", StringComparison.Ordinal));
        var entries = lines.Select(line =>
        {
            using var document = JsonDocument.Parse(line); // throws on any line that is not one JSON object
            return document.RootElement.Clone();
        }).ToList();
        Assert.All(entries, e =>
        {
            Assert.True(DateTimeOffset.TryParseExact(e.GetProperty("timestamp").GetString(), "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _));
            Assert.Contains(e.GetProperty("level").GetString(), new[] { "Trace", "Debug", "Information", "Warning", "Error", "Critical" });
            Assert.False(string.IsNullOrEmpty(e.GetProperty("category").GetString()));
            Assert.True(e.TryGetProperty("message", out _));
            Assert.Equal("log-silo-1", e.GetProperty("silo").GetString());
        });

        var loaded = Assert.Single(entries, e => e.GetProperty("message").GetString()!.StartsWith("Loaded model pump-1", StringComparison.Ordinal));
        Assert.Equal("corr-\"quoted\"-42", loaded.GetProperty("requestId").GetString());
        Assert.Equal("pump-1", loaded.GetProperty("fields").GetProperty("Target").GetString());
        var access = Assert.Single(entries, e => e.GetProperty("category").GetString() == "Gordo.Access" && e.GetProperty("fields").GetProperty("Method").GetString() == "POST");
        Assert.Equal("corr-\"quoted\"-42", access.GetProperty("requestId").GetString());
        Assert.Equal(200, access.GetProperty("fields").GetProperty("StatusCode").GetInt32());
        Assert.Equal("/gordo/v0/p/pump-1/anomaly/prediction", access.GetProperty("fields").GetProperty("Path").GetString());
        Assert.DoesNotContain(entries, e => e.GetProperty("category").GetString()!.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GORDO_LOG_FORMAT_text_writes_one_plain_line_per_entry()
    {
        await using var server = await ServerProcess.StartAsync(collection.CurrentDirectory, new() { ["GORDO_LOG_FORMAT"] = "text" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/pump-1/metadata");
        request.Headers.Add("Request-ID", "plain-text-7");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);

        var lines = await server.WaitForLinesAsync(l => l.Contains("plain-text-7", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.False(l.TrimStart().StartsWith('{'), l));
        var access = Assert.Single(lines, l => l.Contains("Gordo.Access", StringComparison.Ordinal) && l.Contains("/metadata", StringComparison.Ordinal));
        Assert.Contains("RequestId:plain-text-7", access, StringComparison.Ordinal);
        Assert.Contains("GET /gordo/v0/p/pump-1/metadata", access, StringComparison.Ordinal);
    }

    /// <summary>gordo-server as its own process (single silo, in-process membership), its stdout kept line by line.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        private ServerProcess(Process process, Uri address)
        {
            _process = process;
            Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    _lines.Enqueue(e.Data);
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public HttpClient Client { get; }

        public static async Task<ServerProcess> StartAsync(string collectionDirectory, Dictionary<string, string> environment)
        {
            var port = FreePorts.Next();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gordo-server.dll"), "--urls", $"http://127.0.0.1:{port}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["MODEL_COLLECTION_DIR"] = collectionDirectory;
            start.Environment["GORDO_SILO_PORT"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
            start.Environment.Remove("GORDO_LOG_FORMAT");
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var server = new ServerProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    if ((await server.Client.GetAsync("/healthcheck", TestContext.Current.CancellationToken)).StatusCode == HttpStatusCode.OK)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                }

                Assert.True(DateTime.UtcNow < deadline && !server._process.HasExited, "gordo-server did not start.");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }

        /// <summary>Every line so far, once one matches (log lines are written asynchronously).</summary>
        public async Task<List<string>> WaitForLinesAsync(Func<string, bool> until)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!_lines.Any(until))
            {
                Assert.True(DateTime.UtcNow < deadline, "Expected log line not written:\n" + string.Join("\n", _lines));
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }

            return [.. _lines];
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }

            _process.Dispose();
        }
    }
}
