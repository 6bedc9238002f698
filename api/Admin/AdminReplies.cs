using System.Text.Json;
using Gordo.Api.Http;
using Gordo.Silo.Cluster;

namespace Gordo.Api.Admin;

/// <summary>Writes a broadcast's answer: one entry per silo with its status (ok, error, timeout), the time it
/// took, and its result or error. A silo that did not answer is listed, never left out.</summary>
internal static class AdminReplies
{
    public static Task WriteAsync(HttpContext context, IReadOnlyList<SiloReply> replies, Action<Utf8JsonWriter>? before = null) =>
        GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer =>
        {
            before?.Invoke(writer);
            writer.WriteStartArray("silos");
            foreach (var reply in replies.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("silo", reply.Silo.ToString());
                writer.WriteString("name", reply.Name);
                writer.WriteString("status", reply.Status.ToString().ToLowerInvariant());
                writer.WriteNumber("elapsedMs", Math.Round(reply.Elapsed.TotalMilliseconds, 1));
                if (reply is { Status: SiloReplyStatus.Ok, Payload: { } payload })
                {
                    writer.WritePropertyName("result");
                    if (LooksLikeJson(payload))
                    {
                        writer.WriteRawValue(payload, skipInputValidation: false);
                    }
                    else
                    {
                        writer.WriteStringValue(System.Text.Encoding.UTF8.GetString(payload));
                    }
                }
                else
                {
                    writer.WriteString("error", reply.Error);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    private static bool LooksLikeJson(byte[] payload) => payload.Length > 0 && payload[0] is (byte)'{' or (byte)'[' or (byte)'"' or (byte)'-' or (>= (byte)'0' and <= (byte)'9');
}
