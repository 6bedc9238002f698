using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>The runtime's own control operations: <c>silo-stats</c>, <c>activations</c>, <c>deactivate</c>.</summary>
public static class RuntimeControlHandlers
{
    public const string Stats = "silo-stats";
    public const string Activations = "activations";
    public const string Deactivate = "deactivate";

    public sealed class StatsHandler(Catalog catalog, IClusterMembership membership, IOptions<SiloOptions> options, GrainTypeRegistry registry) : ISiloControlHandler
    {
        private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

        public string Operation => Stats;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var activations = catalog.GetActivations();
            var stats = new SiloStats(options.Value.Name, membership.LocalSilo?.ToString() ?? string.Empty, _started, activations.Count,
                activations.Sum(a => a.MemoryBytes), options.Value.MemoryBudgetBytes, [.. registry.HostedGrainTypes]);
            return ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(stats, RuntimeJsonContext.Default.SiloStats));
        }
    }

    public sealed class ActivationsHandler(Catalog catalog) : ISiloControlHandler
    {
        public string Operation => Activations;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var reports = catalog.GetActivations()
                .Select(a => new ActivationReport(a.GrainId.ToString(), a.State.ToString(), a.ActivatedAt, Math.Round(a.IdleFor.TotalSeconds, 3), a.InFlightCalls, a.Calls, a.MemoryBytes, a.Details))
                .OrderBy(a => a.Grain, StringComparer.Ordinal)
                .ToArray();
            return ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(reports, RuntimeJsonContext.Default.ActivationReportArray));
        }
    }

    public sealed class DeactivateHandler(Catalog catalog) : ISiloControlHandler
    {
        public string Operation => Deactivate;

        public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var request = JsonSerializer.Deserialize(payload.Span, RuntimeJsonContext.Default.DeactivationRequest)
                ?? throw new ArgumentException("A deactivation request is required.");
            var count = await catalog.DeactivateAsync(request.Matches, DeactivationReason.Evicted).ConfigureAwait(false);
            return JsonSerializer.SerializeToUtf8Bytes(count, RuntimeJsonContext.Default.Int32);
        }
    }
}
