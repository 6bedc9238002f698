using System.Text.Json;
using Gordo.Api.Http;
using Gordo.Silo.Cluster;

namespace Gordo.Api.Admin;

/// <summary>
/// <c>GET /admin/cluster</c>: every silo of the membership view with its status, start time, activation
/// count and loaded-model bytes (asked of each silo at once). <c>GET /admin/grains</c>: every activation
/// and the silo it lives on. A silo that does not answer within the deadline is listed with its reply
/// status (<c>timeout</c> or <c>error</c>) and the reason.
/// </summary>
internal static class ClusterEndpoints
{
    public static async Task ClusterAsync(HttpContext context)
    {
        var membership = context.RequestServices.GetRequiredService<ClusterMembers>();
        var broadcast = context.RequestServices.GetRequiredService<ClusterBroadcast>();
        var timeout = BroadcastDeadline.From(context);
        var members = await membership.GetAsync(onlyActive: false, timeout, context.RequestAborted).ConfigureAwait(false);
        var replies = (await broadcast.BroadcastAsync(SiloStatsHandler.Stats, ReadOnlyMemory<byte>.Empty, timeout, context.RequestAborted)
            .ConfigureAwait(false)).ToDictionary(r => r.Silo);
        await GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteString("self", membership.LocalSilo?.ToString() ?? "gateway");
            writer.WriteStartArray("silos");
            foreach (var member in members)
            {
                var reply = replies.GetValueOrDefault(member.Address);
                var stats = reply is { Status: SiloReplyStatus.Ok, Payload: { } payload }
                    ? JsonSerializer.Deserialize(payload, ControlJsonContext.Default.SiloStats)
                    : null;
                writer.WriteStartObject();
                writer.WriteString("address", member.Address.ToString());
                writer.WriteString("name", stats?.Name ?? member.Name);
                writer.WriteString("status", member.Status.ToString());
                if ((stats?.StartedAt ?? member.StartedAt) is { } startedAt)
                {
                    writer.WriteString("startedAt", startedAt);
                }

                writer.WriteString("httpEndpoint", stats?.HttpEndpoint);
                WriteReply(writer, reply);
                if (stats is not null)
                {
                    writer.WriteNumber("activations", stats.Activations);
                    writer.WriteNumber("loadedBytes", stats.MemoryBytes);
                    writer.WriteNumber("memoryBudgetBytes", stats.MemoryBudgetBytes);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }).ConfigureAwait(false);
    }

    public static async Task GrainsAsync(HttpContext context)
    {
        var broadcast = context.RequestServices.GetRequiredService<ClusterBroadcast>();
        var replies = await broadcast.BroadcastAsync(Grains.Activations.ActivationControlHandlers.Activations, ReadOnlyMemory<byte>.Empty, BroadcastDeadline.From(context), context.RequestAborted)
            .ConfigureAwait(false);
        await GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartArray("grains");
            foreach (var reply in replies.Where(r => r.Status == SiloReplyStatus.Ok))
            {
                foreach (var activation in JsonSerializer.Deserialize(reply.Payload!, ControlJsonContext.Default.ActivationReportArray) ?? [])
                {
                    writer.WriteStartObject();
                    writer.WriteString("grain", activation.Grain);
                    writer.WriteString("silo", reply.Silo.ToString());
                    writer.WriteString("siloName", reply.Name);
                    writer.WriteString("state", activation.State);
                    writer.WriteString("activatedAt", activation.ActivatedAt);
                    writer.WriteNumber("idleSeconds", activation.IdleSeconds);
                    writer.WriteNumber("inFlight", activation.InFlight);
                    writer.WriteNumber("calls", activation.Calls);
                    writer.WriteNumber("memoryBytes", activation.MemoryBytes);
                    writer.WriteEndObject();
                }
            }

            writer.WriteEndArray();
            writer.WriteStartArray("silos");
            foreach (var reply in replies)
            {
                writer.WriteStartObject();
                writer.WriteString("address", reply.Silo.ToString());
                writer.WriteString("name", reply.Name);
                WriteReply(writer, reply);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private static void WriteReply(Utf8JsonWriter writer, SiloReply? reply)
    {
        writer.WriteString("reply", reply is null ? "none" : reply.Status.ToString().ToLowerInvariant());
        writer.WriteNumber("replyMs", Math.Round(reply?.Elapsed.TotalMilliseconds ?? 0, 1));
        if (reply?.Error is { } error)
        {
            writer.WriteString("error", error);
        }
    }
}
