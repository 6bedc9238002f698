using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Silo.Cluster;

namespace Gordo.Api.Gordo;

/// <summary>Deactivates a model's grain by asking every silo (it lives on one; asking all also covers
/// silos whose views disagree for a moment). In-flight calls finish first.</summary>
public sealed partial class BroadcastModelEvictor(ClusterBroadcast broadcast, ILogger<BroadcastModelEvictor> logger) : IModelEvictor
{
    public async Task EvictAsync(string revision, string target, CancellationToken cancellationToken)
    {
        var request = new DeactivationRequest(Grains.Models.ModelGrain.ModelGrainType, [new ModelKey(revision, target).ToString()]);
        var replies = await broadcast.BroadcastAsync(Grains.Activations.ActivationControlHandlers.Deactivate,
            JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.DeactivationRequest), TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (var reply in replies.Where(r => r.Status != SiloReplyStatus.Ok))
        {
            LogNotEvicted(logger, target, revision, reply.Silo.ToString(), reply.Error ?? reply.Status.ToString());
        }
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Model {Target} of revision {Revision} may still be active on silo {Silo}: {Reason}")]
    private static partial void LogNotEvicted(ILogger logger, string target, string revision, string silo, string reason);
}
