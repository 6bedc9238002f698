using System.Diagnostics;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Grains.Store;
using Gordo.Silo.Cluster;

namespace Gordo.Silo;

/// <summary>
/// Health checks in c2cwsgiutils' levels: 0 ping (the process answers); 1 vital (Redis when
/// clustered, the model store is readable, the membership is joined); 2 and up the cluster (every
/// silo answers a broadcast, and all run the same version as this process).
/// </summary>
public sealed class GordoHealthChecks(
    IServiceProvider services,
    GatewayConnections gateways,
    RedisConnection redis,
    ModelStore store,
    ClusterBroadcast broadcast)
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<HealthCheckResult>> RunAsync(int maxLevel, CancellationToken cancellationToken)
    {
        var checks = new List<(string Name, int Level, Func<Task<string?>> Run)>
        {
            ("ping", 0, () => Task.FromResult<string?>("pong")),
            ("redis", 1, RedisAsync),
            ("model_store", 1, () => Task.FromResult(ModelStore())),
            ("membership", 1, () => Task.FromResult(Membership())),
            ("silos", 2, SilosAsync),
            ("versions", 2, VersionsAsync),
        };
        var results = new List<HealthCheckResult>();
        foreach (var (name, level, run) in checks.Where(c => c.Level <= maxLevel))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            try
            {
                var message = await run().WaitAsync(s_deadline * 2, cancellationToken).ConfigureAwait(false);
                results.Add(new HealthCheckResult(name, level, true, Stopwatch.GetElapsedTime(started), message));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results.Add(new HealthCheckResult(name, level, false, Stopwatch.GetElapsedTime(started), ex.Message));
            }
        }

        return results;
    }

    /// <summary>Ready: the model store is readable and the process is part of the cluster.</summary>
    public IReadOnlyList<HealthCheckResult> Readiness()
    {
        var results = new List<HealthCheckResult>();
        foreach (var (name, check) in new (string, Func<string?>)[] { ("model_store", ModelStore), ("membership", Membership) })
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                results.Add(new HealthCheckResult(name, 1, true, Stopwatch.GetElapsedTime(started), check()));
            }
            catch (InvalidOperationException ex)
            {
                results.Add(new HealthCheckResult(name, 1, false, Stopwatch.GetElapsedTime(started), ex.Message));
            }
        }

        return results;
    }

    private async Task<string?> RedisAsync()
    {
        if (!redis.IsConfigured)
        {
            return "not clustered (localhost clustering)";
        }

        var connection = await redis.GetAsync().ConfigureAwait(false);
        var latency = await connection.GetDatabase().PingAsync().WaitAsync(s_deadline).ConfigureAwait(false);
        return $"ping {latency.TotalMilliseconds:F1} ms";
    }

    private string? ModelStore()
    {
        var directory = store.GetRevisionDirectory(store.CurrentRevision);
        try
        {
            var models = Directory.EnumerateDirectories(directory).Count();
            return $"{models} models in {directory}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The model collection {directory} cannot be read: {ex.Message}");
        }
    }

    private string? Membership()
    {
        if (services.GetService<IClusterMembershipService>() is { } membership)
        {
            var snapshot = membership.CurrentSnapshot;
            var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
            var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
            return snapshot.GetSiloStatus(local) == SiloStatus.Active
                ? $"active in view v{snapshot.Version.Value} with {active} silos"
                : throw new InvalidOperationException($"This silo is {snapshot.GetSiloStatus(local)} in view v{snapshot.Version.Value}, not active.");
        }

        return gateways.Connected > 0
            ? $"connected to {gateways.Connected} gateways of the cluster"
            : throw new InvalidOperationException("No gateway of the cluster is connected.");
    }

    private async Task<string?> SilosAsync()
    {
        var replies = await broadcast.BroadcastAsync(SiloDiagnostics.Ping, ReadOnlyMemory<byte>.Empty, s_deadline, CancellationToken.None).ConfigureAwait(false);
        var silent = replies.Where(r => r.Status != SiloReplyStatus.Ok).ToList();
        return silent.Count == 0
            ? $"{replies.Count} silos answered"
            : throw new InvalidOperationException($"{silent.Count} of {replies.Count} silos did not answer: " +
                string.Join("; ", silent.Select(r => $"{r.Name} ({r.Silo}) {r.Status.ToString().ToLowerInvariant()}: {r.Error}")));
    }

    private async Task<string?> VersionsAsync()
    {
        var replies = await broadcast.BroadcastAsync(SiloDiagnostics.Version, ReadOnlyMemory<byte>.Empty, s_deadline, CancellationToken.None).ConfigureAwait(false);
        var versions = replies.Where(r => r.Status == SiloReplyStatus.Ok)
            .Select(r => (r.Name, JsonSerializer.Deserialize(r.Payload!, SiloJsonContext.Default.VersionReport)!.Version))
            .ToList();
        var different = versions.Where(v => v.Version != GordoVersion.Current).ToList();
        return different.Count == 0
            ? $"{versions.Count} silos run {GordoVersion.Current}"
            : throw new InvalidOperationException($"Versions differ from {GordoVersion.Current}: " + string.Join(", ", different.Select(d => $"{d.Name} runs {d.Version}")));
    }
}
