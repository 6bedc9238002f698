using Gordo.Frames.Json;
using System.Text.Json;
using Gordo.Api.Http;
using Gordo.GrainInterfaces;
using Gordo.Api.Cluster;

namespace Gordo.Api.Gordo;

/// <summary><c>GET .../&lt;name&gt;/metadata</c> and <c>.../&lt;name&gt;/healthcheck</c> (the same body, as in gordo).</summary>
internal static class MetadataEndpoints
{
    public static async Task MetadataAsync(HttpContext context)
    {
        var name = ModelNames.RequireValidName(context);
        var revision = GordoResponses.RevisionOf(context);
        var document = await context.RequestServices.GetRequiredService<ModelCalls>()
            .InvokeAsync(new ModelKey(revision, name), static (grain, ct) => grain.GetMetadataAsync(ct), context.RequestAborted).ConfigureAwait(false);
        using var output = new PooledBufferWriter(document.Members.Length + 64);
        output.Write("{"u8);
        output.Write(document.Members.Span);
        output.Write(",\"revision\":"u8);
        using (var writer = new Utf8JsonWriter(output, GordoJson.WriterOptions))
        {
            writer.WriteStringValue(revision);
        }

        output.Write("}"u8);
        await GordoResponses.WriteAsync(context, StatusCodes.Status200OK, GordoResponses.JsonContentType, output.WrittenMemory).ConfigureAwait(false);
    }
}
