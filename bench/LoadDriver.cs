using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Gordo.Bench;

/// <summary>
/// A closed-loop HTTP load generator: <c>connections</c> workers each send the same request back to back
/// (round-robin over targets) for a time or a number of requests, after a warm-up. Reports requests/s,
/// latency percentiles, errors, and the server's CPU (from /proc for the given process ids) and
/// allocations and RSS (from Gordo's /metrics) per request.
/// </summary>
public sealed class LoadDriver(LoadOptions options)
{
    public async Task<LoadResult> RunAsync()
    {
        var body = await File.ReadAllBytesAsync(options.BodyFile);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(120) };
        var targets = options.Targets;

        if (options.WarmupSeconds > 0)
        {
            await PhaseAsync(client, body, targets, TimeSpan.FromSeconds(options.WarmupSeconds), requests: null);
        }

        var before = await ServerFigures.ReadAsync(client, options);
        var watch = Stopwatch.StartNew();
        var (latencies, errors, statuses) = await PhaseAsync(client, body, targets,
            options.Requests is null ? TimeSpan.FromSeconds(options.DurationSeconds) : Timeout.InfiniteTimeSpan, options.Requests);
        var elapsed = watch.Elapsed;
        var after = await ServerFigures.ReadAsync(client, options);

        latencies.Sort();
        var count = latencies.Count;
        double Percentile(double p) => count == 0 ? double.NaN : latencies[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(
            options.Label, options.Connections, count, errors, statuses, elapsed.TotalSeconds,
            count / elapsed.TotalSeconds, Percentile(0.5), Percentile(0.99), Percentile(0.999),
            count == 0 ? double.NaN : latencies.Average() * 1000.0 / Stopwatch.Frequency,
            after.CpuSeconds - before.CpuSeconds is var cpu && cpu >= 0 && count > 0 ? cpu / count * 1000 : null,
            after.AllocatedBytes is { } a && before.AllocatedBytes is { } b && count > 0 ? (a - b) / count : null,
            after.ResidentBytes, body.Length, after.Threads);
    }

    private async Task<(List<long> Latencies, int Errors, Dictionary<int, int> Statuses)> PhaseAsync(HttpClient client, byte[] body, string[] targets, TimeSpan duration, int? requests)
    {
        var deadline = Stopwatch.GetTimestamp() + (duration == Timeout.InfiniteTimeSpan ? long.MaxValue / 2 : (long)(duration.TotalSeconds * Stopwatch.Frequency));
        var next = -1;
        var errors = 0;
        var statuses = new Dictionary<int, int>();
        var perWorker = new List<long>[options.Connections];
        var workers = Enumerable.Range(0, options.Connections).Select(w => Task.Run(async () =>
        {
            var latencies = perWorker[w] = new List<long>(4096);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var n = Interlocked.Increment(ref next);
                if (requests is { } limit && n >= limit)
                {
                    break;
                }

                var target = targets[n % targets.Length];
                using var request = new HttpRequestMessage(HttpMethod.Post, options.Path.Replace("{target}", target, StringComparison.Ordinal))
                {
                    Content = new ByteArrayContent(body),
                };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", options.ContentType);
                foreach (var header in options.Headers ?? [])
                {
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    request.Headers.TryAddWithoutValidation(header[..colon].Trim(), header[(colon + 1)..].Trim());
                }

                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await response.Content.CopyToAsync(Stream.Null);
                    status = (int)response.StatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }

                latencies.Add(Stopwatch.GetTimestamp() - started);
                lock (statuses)
                {
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status != (int)HttpStatusCode.OK)
                    {
                        errors++;
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        return ([.. perWorker.SelectMany(l => l)], errors, statuses);
    }
}

public sealed record LoadOptions(
    string Label, string Url, string Path, string[] Targets, string BodyFile, string ContentType,
    int Connections, double DurationSeconds, double WarmupSeconds, int? Requests, string? MetricsPath, int[] Pids, string[]? Headers = null);

public sealed record LoadResult(
    string Label, int Connections, int Requests, int Errors, Dictionary<int, int> Statuses, double Seconds, double RequestsPerSecond,
    double P50Ms, double P99Ms, double P999Ms, double MeanMs, double? CpuMsPerRequest, long? AllocatedBytesPerRequest, long? ResidentBytes, int RequestBytes,
    int? Threads = null)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Label}: c={Connections} n={Requests} err={Errors} {RequestsPerSecond:F1} req/s p50={P50Ms:F2} ms p99={P99Ms:F2} ms p999={P999Ms:F2} ms cpu/req={CpuMsPerRequest:F2} ms alloc/req={AllocatedBytesPerRequest} B rss={ResidentBytes / (1024 * 1024)} MiB threads={Threads}");

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>Server-side figures: CPU seconds, RSS and threads of the given processes (and their children) from /proc, and Gordo's /metrics.</summary>
internal sealed record ServerFigures(double CpuSeconds, long? AllocatedBytes, long? ResidentBytes, int? Threads)
{
    public static async Task<ServerFigures> ReadAsync(HttpClient client, LoadOptions options)
    {
        var cpu = options.Pids.Sum(ProcessTreeCpuSeconds);
        long? allocated = null, resident = null;
        if (options.MetricsPath is { } path)
        {
            var text = await client.GetStringAsync(path);
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("dotnet_gc_allocated_bytes_total ", StringComparison.Ordinal))
                {
                    allocated = (long)double.Parse(line.AsSpan(line.IndexOf(' ') + 1), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("process_resident_memory_bytes ", StringComparison.Ordinal))
                {
                    resident = (long)double.Parse(line.AsSpan(line.IndexOf(' ') + 1), CultureInfo.InvariantCulture);
                }
                else if (options.Pids.Length == 0 && line.StartsWith("process_cpu_seconds_total ", StringComparison.Ordinal))
                {
                    cpu = double.Parse(line.AsSpan(line.IndexOf(' ') + 1), CultureInfo.InvariantCulture);
                }
            }
        }
        if (options.Pids.Length > 0)
        {
            resident = options.Pids.Sum(ProcessTreeResidentBytes);
        }

        int? threads = options.Pids.Length > 0 ? options.Pids.Sum(p => ProcessTree(p).Sum(ThreadCount)) : null;
        return new ServerFigures(cpu, allocated, resident, threads);
    }

    private static double ProcessTreeCpuSeconds(int pid) => ProcessTree(pid).Sum(p =>
    {
        // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{p}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    });

    private static long ProcessTreeResidentBytes(int pid) => ProcessTree(pid).Sum(p =>
    {
        var status = File.ReadAllLines($"/proc/{p}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return status is null ? 0 : long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    });

    private static int ThreadCount(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("Threads:", StringComparison.Ordinal));
        return status is null ? 0 : int.Parse(status.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
    }

    private static IEnumerable<int> ProcessTree(int pid)
    {
        if (!Directory.Exists($"/proc/{pid}"))
        {
            yield break;
        }

        yield return pid;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            var children = Path.Combine(task, "children");
            if (!File.Exists(children))
            {
                continue;
            }

            foreach (var child in File.ReadAllText(children).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var descendant in ProcessTree(int.Parse(child, CultureInfo.InvariantCulture)))
                {
                    yield return descendant;
                }
            }
        }
    }
}
