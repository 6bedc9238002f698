using System.Text.Json;
using Gordo.Api.Http;
using Gordo.Frames.Json;

namespace Gordo.Api.V2;

/// <summary>The protocol's JSON bodies: the object alone (no gordo <c>revision</c> key), errors as <c>{"error": "..."}</c>.</summary>
internal static class V2Responses
{
    public static async Task WriteObjectAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> writeMembers)
    {
        using var buffer = new PooledBufferWriter(4096);
        using (var writer = new Utf8JsonWriter(buffer, GordoJson.WriterOptions))
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteEndObject();
        }

        await GordoResponses.WriteAsync(context, statusCode, GordoResponses.JsonContentType, buffer.WrittenMemory).ConfigureAwait(false);
    }

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string message) =>
        WriteObjectAsync(context, statusCode, writer => writer.WriteString("error", message));
}
