using System.Globalization;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Grains.Models;

namespace Gordo.Grains.Activations;

/// <summary>The silo side of <c>GET /admin/grains</c> (<c>activations</c>) and of evictions (<c>deactivate</c>).</summary>
public static class ActivationControlHandlers
{
    public const string Activations = "activations";
    public const string Deactivate = "deactivate";

    /// <summary>This silo's model grains as the cluster views show them.</summary>
    public static ActivationReport[] Reports(ModelActivations activations) => activations.Snapshot()
        .Select(g => new ActivationReport($"{ModelGrain.ModelGrainType}/{g.Key}", "Valid", g.ActivatedAt, Math.Round(g.IdleFor.TotalSeconds, 3),
            g.InFlightCalls, g.Calls, g.MemoryBytes, g.Details))
        .OrderBy(a => a.Grain, StringComparer.Ordinal)
        .ToArray();

    public sealed class ActivationsHandler(ModelActivations activations) : ISiloControlHandler
    {
        public string Operation => Activations;

        public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
            ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(Reports(activations), ControlJsonContext.Default.ActivationReportArray));
    }

    /// <summary>Deactivates the matching model grains through Orleans without activating them again; answers the count.</summary>
    public sealed class DeactivateHandler(ModelActivations activations) : ISiloControlHandler
    {
        public string Operation => Deactivate;

        public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var request = JsonSerializer.Deserialize(payload.Span, ControlJsonContext.Default.DeactivationRequest)
                ?? throw new ArgumentException("A deactivation request is required.");
            var count = await activations.DeactivateAsync(key => request.Matches(ModelGrain.ModelGrainType, key), DeactivationReasonLabels.Eviction).ConfigureAwait(false);
            return JsonSerializer.SerializeToUtf8Bytes(count, ControlJsonContext.Default.Int32);
        }
    }
}
