using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Grains.Activations;

namespace Gordo.Grains.Models;

/// <summary>The silo side of <c>POST /admin/models/reload</c>.</summary>
public static class ModelControlHandlers
{
    public const string Reload = "model-reload";

    /// <summary>
    /// Deactivates the matching model grains on this silo (calls in flight finish first; calls that
    /// arrive meanwhile wait for the fresh activation), then loads each again from disk at once, so that
    /// a model rebuilt in place is live and warm when the answer comes back.
    /// </summary>
    public sealed class ReloadHandler(ModelActivations activations, IGrainFactory grains) : ISiloControlHandler
    {
        public string Operation => Reload;

        public async ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        {
            var request = JsonSerializer.Deserialize(payload.Span, ControlJsonContext.Default.DeactivationRequest)
                ?? throw new ArgumentException("A reload request is required.");
            bool Matches(string key) => request.Matches(ModelGrain.ModelGrainType, key);
            var keys = activations.Snapshot().Select(g => g.Key).Where(Matches).ToList();
            await activations.DeactivateAsync(Matches, DeactivationReasonLabels.Eviction).ConfigureAwait(false);
            var results = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in keys)
            {
                try
                {
                    var bytes = await grains.GetGrain<IModelGrain>(key).LoadAsync(cancellationToken).ConfigureAwait(false);
                    results[key] = $"loaded ({bytes} bytes)";
                }
                catch (GordoException ex)
                {
                    results[key] = $"failed: {ex.Message}";
                }
            }

            return JsonSerializer.SerializeToUtf8Bytes(results, ModelJsonContext.Default.DictionaryStringString);
        }
    }
}
