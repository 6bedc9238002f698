using Gordo.Frames.Json;
using System.Text.Json;

namespace Gordo.Api.Http;

/// <summary>
/// Writes gordo's responses: JSON with <c>Content-Type: application/json</c> exactly (the gordo client
/// rejects a charset parameter) and the request's revision as the last top-level key, as gordo's
/// after-request hook adds it to every JSON body.
/// </summary>
public static class GordoResponses
{
    public const string JsonContentType = "application/json";

    private static readonly JsonEncodedText s_revision = JsonEncodedText.Encode("revision");

    public static string RevisionOf(HttpContext context) =>
        context.Features.Get<RequestRevision>()?.Revision ?? context.RequestServices.GetRequiredService<Grains.Store.ModelStore>().CurrentRevision;

    /// <summary>Writes <c>{members..., "revision": ...}</c>.</summary>
    public static async Task WriteObjectAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer, GordoJson.WriterOptions))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteString(s_revision, RevisionOf(context));
            writer.WriteEndObject();
        }

        await WriteAsync(context, statusCode, JsonContentType, buffer.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>An error body: <c>{"error" | "message": "...", "revision": ...}</c>.</summary>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message, string key = "error") =>
        WriteObjectAsync(context, statusCode, writer => writer.WriteString(key, message));

    /// <summary>What a body is handed to Kestrel in at a time. Kestrel copies a write into its pipe in
    /// 4 KiB blocks before sending any of it: a 1 000-row answer whole took 700 blocks, and a new segment
    /// object for each past the pipe's pool of 256 (35 KB of garbage a request). In slices the pipe reuses
    /// its segments as the socket drains them.</summary>
    private const int SliceBytes = 256 * 1024;

    public static async Task WriteAsync(HttpContext context, int statusCode, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        do
        {
            var slice = body[..Math.Min(body.Length, SliceBytes)];
            await response.Body.WriteAsync(slice, context.RequestAborted).ConfigureAwait(false);
            body = body[slice.Length..];
        }
        while (!body.IsEmpty);
    }
}
