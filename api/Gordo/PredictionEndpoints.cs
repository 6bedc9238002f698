using System.Diagnostics;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Gordo.GrainInterfaces;
using Gordo.Grains.Frames;
using Gordo.Grains.Store;
using Gordo.Runtime;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Gordo;

/// <summary>
/// <c>POST .../&lt;name&gt;/prediction</c> and <c>POST .../&lt;name&gt;/anomaly/prediction</c>: decode
/// X/y, call the model grain, encode the frame. The checks run in gordo's order: name (422), model
/// (404), body (400), columns (400), then the grain's own (400/422).
/// </summary>
internal static class PredictionEndpoints
{
    public static Task PredictionAsync(HttpContext context) => PredictAsync(context, anomaly: false);

    public static Task AnomalyAsync(HttpContext context) => PredictAsync(context, anomaly: true);

    private static async Task PredictAsync(HttpContext context, bool anomaly)
    {
        var services = context.RequestServices;
        var store = services.GetRequiredService<ModelStore>();
        var revision = GordoResponses.RevisionOf(context);
        var name = ModelNames.RequireValidName(context);
        var request = context.Request;

        if (IsMultipart(request.ContentType) || request.Query["format"] == "parquet")
        {
            ModelNames.RequireModel(store, revision, name);
            throw new GordoException(StatusCodes.Status415UnsupportedMediaType,
                "Parquet (multipart X/y files, or format=parquet) is not supported by this server yet; send and request JSON.");
        }

        if (!IsJson(request.ContentType))
        {
            ModelNames.RequireModel(store, revision, name);
            throw new InvalidFrameException("Cannot predict without \"X\"");
        }

        var limit = services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBytes;
        using var body = await RequestBody.ReadAsync(request, limit, context.RequestAborted).ConfigureAwait(false);
        RequestFrames frames;
        try
        {
            frames = FrameJsonReader.ReadRequest(body.Span);
        }
        catch (InvalidFrameException)
        {
            ModelNames.RequireModel(store, revision, name);
            throw;
        }

        using (frames)
        {
            var grain = services.GetRequiredService<IGrainFactory>().GetGrain<IModelGrain>(new ModelKey(revision, name).ToString());
            var started = Stopwatch.GetTimestamp();
            using var result = anomaly
                ? await grain.AnomalyAsync(new AnomalyRequest(frames.X, frames.Y, request.Query.ContainsKey("all_columns")), context.RequestAborted).ConfigureAwait(false)
                : await grain.PredictAsync(new PredictionRequest(frames.X, frames.Y), context.RequestAborted).ConfigureAwait(false);
            var timeSeconds = anomaly ? FrameJsonWriter.FormatTimeSeconds(Stopwatch.GetElapsedTime(started)) : null;
            using var output = new PooledBufferWriter(Math.Max(16 * 1024, body.Length * 3));
            FrameJsonWriter.WriteResponse(output, result, timeSeconds, revision);
            await GordoResponses.WriteAsync(context, StatusCodes.Status200OK, GordoResponses.JsonContentType, output.WrittenMemory).ConfigureAwait(false);
        }
    }

    /// <summary>Flask's <c>request.is_json</c>: application/json or application/*+json.</summary>
    internal static bool IsJson(string? contentType)
    {
        var mediaType = MediaType(contentType);
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsMultipart(string? contentType) => MediaType(contentType).Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<char> MediaType(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return [];
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType : contentType[..semicolon]).AsSpan().Trim();
    }
}
