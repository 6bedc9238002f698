using System.Text.Json;
using Gordo.Api.Http;
using Gordo.GrainInterfaces;
using Gordo.Grains.Models;
using Gordo.Grains.Store;
using Gordo.Silo.Cluster;
using Gordo.Silo;

namespace Gordo.Api.Admin;

/// <summary>
/// <c>GET /admin/diagnostics</c> (process, GC, thread pool and model grains of every silo),
/// <c>GET /admin/diagnostics/stacks</c> (every silo's managed thread stacks), <c>GET /admin/versions</c>,
/// and <c>POST /admin/models/evict</c> / <c>POST /admin/models/reload</c> with an optional
/// <c>{"revision": ..., "target": ...}</c> (both, one, or neither for every model).
/// </summary>
internal static class OperationsEndpoints
{
    public static async Task DiagnosticsAsync(HttpContext context) =>
        await AdminReplies.WriteAsync(context, await BroadcastAsync(context, SiloDiagnostics.Diagnostics, []).ConfigureAwait(false)).ConfigureAwait(false);

    public static async Task StacksAsync(HttpContext context) =>
        await AdminReplies.WriteAsync(context, await BroadcastAsync(context, SiloDiagnostics.Stacks, [], TimeSpan.FromSeconds(15)).ConfigureAwait(false)).ConfigureAwait(false);

    public static async Task VersionsAsync(HttpContext context)
    {
        var replies = await BroadcastAsync(context, SiloDiagnostics.Version, []).ConfigureAwait(false);
        await AdminReplies.WriteAsync(context, replies, writer =>
        {
            writer.WritePropertyName("self");
            writer.WriteRawValue(JsonSerializer.SerializeToUtf8Bytes(SiloDiagnostics.Versions, SiloJsonContext.Default.VersionReport));
        }).ConfigureAwait(false);
    }

    public static async Task EvictAsync(HttpContext context)
    {
        var request = await ModelSelectionAsync(context).ConfigureAwait(false);
        // A silo answers an eviction once its grains are gone, and a grain goes once its calls in flight
        // end: under load that outlasts the usual 5 s, so the default deadline is the silo's own wait.
        var replies = await BroadcastAsync(context, Grains.Activations.ActivationControlHandlers.Deactivate,
            JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.DeactivationRequest), Grains.Activations.ModelActivations.DeactivationWait).ConfigureAwait(false);
        var total = replies.Where(r => r.Status == SiloReplyStatus.Ok).Sum(r => JsonSerializer.Deserialize(r.Payload!, ControlJsonContext.Default.Int32));
        await AdminReplies.WriteAsync(context, replies, writer => writer.WriteNumber("evicted", total)).ConfigureAwait(false);
    }

    public static async Task ReloadAsync(HttpContext context)
    {
        var request = await ModelSelectionAsync(context).ConfigureAwait(false);
        var replies = await BroadcastAsync(context, ModelControlHandlers.Reload,
            JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.DeactivationRequest), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await AdminReplies.WriteAsync(context, replies).ConfigureAwait(false);
    }

    /// <summary>The models an evict or reload applies to, from <c>{"revision"?, "target"?}</c>.</summary>
    private static async Task<DeactivationRequest> ModelSelectionAsync(HttpContext context)
    {
        var fields = await AdminBody.ReadAsync(context, ["revision", "target"], optional: true).ConfigureAwait(false);
        var store = context.RequestServices.GetRequiredService<ModelStore>();
        var revision = fields.GetValueOrDefault("revision");
        var target = fields.GetValueOrDefault("target");
        if (revision is not null && !store.IsKnownRevisionName(revision))
        {
            throw AdminBody.Bad($"'{AdminBody.Shorten(revision)}' is not a revision: revisions are digits.");
        }

        if (target is not null && !ModelStore.IsValidTargetName(target))
        {
            throw AdminBody.Bad($"'{AdminBody.Shorten(target)}' is not a model name: names match ^[A-Za-z0-9-]+$.");
        }

        return (revision, target) switch
        {
            ({ } r, { } t) => new DeactivationRequest(ModelGrain.ModelGrainType, [new ModelKey(r, t).ToString()]),
            ({ } r, null) => new DeactivationRequest(ModelGrain.ModelGrainType, KeyPrefix: r + "/"),
            (null, { } t) => new DeactivationRequest(ModelGrain.ModelGrainType, KeySuffix: "/" + t),
            _ => new DeactivationRequest(ModelGrain.ModelGrainType),
        };
    }

    private static Task<IReadOnlyList<SiloReply>> BroadcastAsync(HttpContext context, string operation, byte[] payload, TimeSpan? defaultTimeout = null)
    {
        var timeout = context.Request.Query.ContainsKey("timeout") || defaultTimeout is null ? BroadcastDeadline.From(context) : defaultTimeout.Value;
        return context.RequestServices.GetRequiredService<ClusterBroadcast>().BroadcastAsync(operation, payload, timeout, context.RequestAborted);
    }
}
