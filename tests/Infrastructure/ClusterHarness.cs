using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Gordo.Silo.Cluster;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// A cluster for a test: one real Redis, silos (in this process, each with its own Kestrel and silo
/// port, or as separate gordo-server processes that can be killed), and gateways. Each harness uses
/// its own Orleans cluster id. A silo is declared dead after <see cref="DeathTimeout"/> (15 s): the
/// silos inside this process share it with the whole suite on two cores and miss short probe deadlines
/// when it stalls, and a silo voted out by mistake fails the test it serves. Tests that kill or freeze a
/// silo to watch the cluster notice set <see cref="FastDeath"/> (or their own) on every member.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public static readonly TimeSpan DeathTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The death timeout of tests that watch a killed silo being noticed.</summary>
    public static readonly TimeSpan FastDeathTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Settings for a member of a cluster that must notice a killed silo within seconds.</summary>
    public static Dictionary<string, string?> FastDeath => new() { ["Gordo:Cluster:DeathTimeout"] = FastDeathTimeout.ToString("c", CultureInfo.InvariantCulture) };

    private readonly List<GordoServerHost> _hosts = [];
    private readonly List<Process> _processes = [];

    private ClusterHarness(RedisServer redis, string collectionDirectory)
    {
        Redis = redis;
        CollectionDirectory = collectionDirectory;
    }

    public RedisServer Redis { get; }

    public string CollectionDirectory { get; }

    public string ClusterId { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<ClusterHarness> StartAsync(string collectionDirectory) => new(await RedisServer.StartAsync(), collectionDirectory);

    /// <summary>A silo in this test process (a co-hosted API with its own Kestrel and silo port).</summary>
    public async Task<GordoServerHost> StartSiloAsync(string name, IDictionary<string, string?>? extra = null)
    {
        var settings = Settings(name);
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await GordoServerHost.StartAsync(CollectionDirectory, settings);
        _hosts.Add(host);
        return host;
    }

    public async Task<GordoServerHost> StartGatewayAsync(IDictionary<string, string?>? extra = null)
    {
        var settings = Settings("gateway");
        settings["Gordo:Api:Mode"] = "gateway";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var host = await GordoServerHost.StartAsync(CollectionDirectory, settings);
        _hosts.Add(host);
        return host;
    }

    /// <summary>A silo as a separate gordo-server process (so that it can be killed without a clean leave).</summary>
    public async Task<(Process Process, Uri Address)> StartSiloProcessAsync(string name, IDictionary<string, string?>? extra = null)
    {
        var process = StartProcess(name, extra, out var address);
        using var client = new HttpClient { BaseAddress = address };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/healthcheck")).StatusCode == HttpStatusCode.OK)
                {
                    return (process, address);
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline && !process.HasExited, $"Silo process {name} did not start.");
            await Task.Delay(100);
        }
    }

    /// <summary>A gordo-server process (a silo, or a gateway) that is not waited for: it may never become ready.</summary>
    public Process StartProcessWithoutWaiting(string name, bool gateway, out Uri address, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>());
        if (gateway)
        {
            settings["Gordo:Api:Mode"] = "gateway";
        }

        return StartProcess(name, settings, out address);
    }

    private Process StartProcess(string name, IDictionary<string, string?>? extra, out Uri address)
    {
        var httpPort = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "gordo-server.dll"), "--urls", $"http://127.0.0.1:{httpPort}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var settings = Settings(name);
        settings["Gordo:Silo:ExitOnFatalError"] = "true"; // a process of its own ends as Orleans means it to
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Gordo__Silo__Port"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture);
        start.Environment["MODEL_COLLECTION_DIR"] = CollectionDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        _processes.Add(process);
        // GORDO_TEST_PROCESS_LOGS=<dir> keeps each process's console output, to read after a failure
        // (flushed line by line; the writer lives as long as the test process).
        var logs = Environment.GetEnvironmentVariable("GORDO_TEST_PROCESS_LOGS");
        var log = string.IsNullOrEmpty(logs) ? null : TextWriter.Synchronized(new StreamWriter(Path.Combine(Directory.CreateDirectory(logs).FullName, $"{ClusterId}-{name}.log")) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => log?.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => log?.WriteLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        address = new Uri($"http://127.0.0.1:{httpPort}");
        return process;
    }

    /// <summary>Waits until <paramref name="host"/>'s Orleans membership has exactly these many active silos.</summary>
    public static async Task WaitForActiveSilosAsync(GordoServerHost host, int count, TimeSpan? timeout = null)
    {
        var members = host.Get<ClusterMembers>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var active = -1;
        while (true)
        {
            try
            {
                active = (await members.GetAsync(onlyActive: true, TimeSpan.FromSeconds(2), CancellationToken.None)).Count;
            }
            catch (Exception ex) when (ex is TimeoutException or Orleans.Runtime.OrleansException or Orleans.Serialization.SerializerException or GrainInterfaces.GordoException)
            {
            }

            if (active == count)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The membership has {active} instead of {count} active silos.");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Posts <paramref name="payload"/> until it is answered with 200: a model's first call activates it
    /// (ONNX session, JIT) on its silo, which on a loaded two-core machine can outlast a test's short call
    /// deadline and come back 503 while the activation goes on. Any other status fails at once.
    /// </summary>
    public static async Task WaitForModelAsync(GordoServerHost host, string path, string payload, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await host.PostJsonAsync(path, payload);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{path} answered {(int)response.StatusCode}: {body}");
            Assert.True(DateTime.UtcNow < deadline, $"{path} was still not answered with 200: {body}");
        }
    }

    /// <summary>Waits until <paramref name="host"/>'s own Redis connection answers (its level-1 health
    /// check pings Redis through it): after a restart the client reconnects in the background, and until
    /// then what the silo stores in Redis is refused with 503.</summary>
    public static async Task WaitForRedisAsync(GordoServerHost host, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var last = "";
        while (true)
        {
            using var response = await host.Client.GetAsync("/health?max_level=1");
            last = await response.Content.ReadAsStringAsync();
            if (JsonDocument.Parse(last).RootElement.TryGetProperty("successes", out var successes) && successes.TryGetProperty("redis", out _))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The silo's Redis connection did not come back: {last}");
            await Task.Delay(100);
        }
    }

    /// <summary>/admin/cluster's row of each silo: address, name, status, httpEndpoint.</summary>
    public static async Task<List<JsonElement>> SiloRowsAsync(GordoServerHost host) =>
        [.. (await AdminAsync(host, "/admin/cluster")).GetProperty("silos").EnumerateArray()];

    /// <summary>GET an admin route with the admin key.</summary>
    public static async Task<JsonElement> AdminAsync(GordoServerHost host, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", AdminKey);
        return await (await host.Client.SendAsync(request)).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>
    /// Where each grain lives according to /admin/grains (grain → silo addresses), once every active silo
    /// answered: one that misses the broadcast's deadline on a loaded machine is listed without its grains,
    /// so the listing is asked for again (for up to 30 s) until it is complete.
    /// </summary>
    public static async Task<Dictionary<string, List<string>>> GrainLocationsAsync(GordoServerHost host)
    {
        var waited = Stopwatch.StartNew();
        var grains = await AdminAsync(host, "/admin/grains");
        while (grains.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("reply").GetString() != "ok").ToList() is { Count: > 0 } unanswered)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"/admin/grains still lacks answers after 30 s: {string.Join("; ", unanswered)}");
            }

            await Task.Delay(200);
            grains = await AdminAsync(host, "/admin/grains");
        }

        var locations = new Dictionary<string, List<string>>();
        foreach (var grain in grains.GetProperty("grains").EnumerateArray())
        {
            var id = grain.GetProperty("grain").GetString()!;
            if (!locations.TryGetValue(id, out var silos))
            {
                locations[id] = silos = [];
            }

            silos.Add(grain.GetProperty("silo").GetString()!);
        }

        return locations;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var host in Enumerable.Reverse(_hosts))
        {
            try
            {
                await host.DisposeAsync();
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        await Redis.DisposeAsync();
    }

    private Dictionary<string, string?> Settings(string name) => new()
    {
        ["Gordo:Cluster:Redis"] = Redis.ConnectionString,
        ["Gordo:Cluster:ClusterId"] = ClusterId,
        ["Gordo:Cluster:DeathTimeout"] = DeathTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Gordo:Silo:Name"] = name,

        // Silos hosted in the test process must not end it when the cluster declares one of them dead.
        ["Gordo:Silo:ExitOnFatalError"] = "false",
        ["Gordo:Silo:CallTimeout"] = "00:00:30",
        ["Gordo:Api:AdminSecret"] = AdminKey,
    };
}
