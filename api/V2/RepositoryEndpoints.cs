using System.Text.Json;
using Gordo.Api.Cluster;
using Gordo.Api.Gordo;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Gordo.Grains.Activations;
using Gordo.Silo.Cluster;
using Microsoft.Extensions.Options;

namespace Gordo.Api.V2;

/// <summary>
/// Triton's model repository extension over the model store: the index lists every target of every
/// revision, READY when its model is loaded on some silo; load activates the model's grain and loads
/// it now (once in the cluster); unload deactivates it wherever it is. Load and unload act on the
/// current revision, as the protocol's repository has no versions.
/// </summary>
internal static class RepositoryEndpoints
{
    public static async Task IndexAsync(HttpContext context, V2Models models, ClusterBroadcast broadcast, IOptions<ApiOptions> options)
    {
        var onlyReady = await ReadReadyFlagAsync(context, options.Value).ConfigureAwait(false);
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        var replies = await broadcast.BroadcastAsync(ActivationControlHandlers.Activations, ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(10), context.RequestAborted)
            .ConfigureAwait(false);
        foreach (var reply in replies.Where(r => r.Status == SiloReplyStatus.Ok && r.Payload is not null))
        {
            foreach (var activation in JsonSerializer.Deserialize(reply.Payload!, ControlJsonContext.Default.ActivationReportArray) ?? [])
            {
                if (activation.Details?.GetValueOrDefault("loaded") == "true")
                {
                    loaded.Add(activation.Grain);
                }
            }
        }

        var store = models.Store;
        using var buffer = new PooledBufferWriter();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var revision in store.ListRevisions().Order(StringComparer.Ordinal))
            {
                foreach (var target in store.ListModels(revision).Order(StringComparer.Ordinal))
                {
                    var ready = loaded.Contains($"{Grains.Models.ModelGrain.ModelGrainType}/{new ModelKey(revision, target)}");
                    if (onlyReady && !ready)
                    {
                        continue;
                    }

                    json.WriteStartObject();
                    json.WriteString("name", target);
                    json.WriteString("version", revision);
                    json.WriteString("state", ready ? "READY" : "UNAVAILABLE");
                    json.WriteString("reason", ready ? string.Empty : "unloaded");
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
        }

        await GordoResponses.WriteAsync(context, StatusCodes.Status200OK, GordoResponses.JsonContentType, buffer.WrittenMemory).ConfigureAwait(false);
    }

    public static async Task LoadAsync(HttpContext context, string model, V2Models models, ModelCalls calls)
    {
        var key = models.Resolve(model, version: null);
        models.Forget(key);
        await calls.InvokeAsync(key, (grain, ct) => grain.LoadAsync(ct), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    public static async Task UnloadAsync(HttpContext context, string model, V2Models models, IModelEvictor evictor)
    {
        var key = models.Resolve(model, version: null);
        models.Forget(key);
        await evictor.EvictAsync(key.Revision, key.Target, context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The index request's optional body, <c>{"ready": true}</c>.</summary>
    private static async Task<bool> ReadReadyFlagAsync(HttpContext context, ApiOptions options)
    {
        using var body = await RequestBody.ReadAsync(context.Request, Math.Min(options.MaxRequestBytes, 64 * 1024), context.RequestAborted).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(body.Span);
            var ready = false;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("not an object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isReady = reader.ValueTextEquals("ready");
                reader.Read();
                if (isReady)
                {
                    ready = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False => false,
                        _ => throw new JsonException("'ready' must be true or false"),
                    };
                }
                else
                {
                    reader.Skip();
                }
            }

            return ready;
        }
        catch (JsonException ex)
        {
            throw new InvalidFrameException($"The index request must be a JSON object like {{\"ready\": true}}: {ex.Message}", "error");
        }
    }
}
