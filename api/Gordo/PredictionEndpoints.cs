using System.Buffers;
using System.Diagnostics;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Grains.Store;
using Gordo.Api.Cluster;
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

        var options = services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var limit = options.MaxRequestBytes;
        var gate = services.GetRequiredService<FrameWorkGate>();
        var budget = services.GetRequiredService<FrameBudget>();
        var multipart = IsMultipart(request.ContentType);
        if (!multipart && !IsJson(request.ContentType))
        {
            ModelNames.RequireModel(store, revision, name);
            throw new InvalidFrameException("Cannot predict without \"X\"");
        }

        // Room in the bytes-in-flight budget before the body is read, when its size is declared (else once it is).
        var declared = request.ContentLength is { } length && length <= limit ? length : (long?)null;
        IDisposable? admission = declared is { } size ? await budget.AcquireAsync(FrameBudget.Estimate(size, multipart), context.RequestAborted).ConfigureAwait(false) : null;
        try
        {
            RequestFrames frames;
            if (multipart)
            {
                using var files = await DecodeAsync(store, revision, name, () => MultipartFiles.ReadAsync(request, limit, context.RequestAborted)).ConfigureAwait(false);
                admission ??= await budget.AcquireAsync(FrameBudget.Estimate(files.TotalBytes, parquet: true), context.RequestAborted).ConfigureAwait(false);
                using var slot = await gate.EnterAsync(FrameWork.Decode, context.RequestAborted).ConfigureAwait(false);
                frames = Decode(store, revision, name, () =>
                {
                    var x = files["X"] ?? throw new InvalidFrameException("Cannot predict without \"X\"");
                    var xFrame = FrameParquetReader.Read(x, "X");
                    try
                    {
                        return new RequestFrames(xFrame, files["y"] is { } y ? FrameParquetReader.Read(y, "y") : null);
                    }
                    catch
                    {
                        xFrame.Dispose();
                        throw;
                    }
                });
            }
            else
            {
                using var body = await RequestBody.ReadAsync(request, limit, context.RequestAborted).ConfigureAwait(false);
                admission ??= await budget.AcquireAsync(FrameBudget.Estimate(body.Length, parquet: false), context.RequestAborted).ConfigureAwait(false);
                using var slot = await gate.EnterAsync(FrameWork.Decode, context.RequestAborted).ConfigureAwait(false);
                // A large body's y is decoded on a second core while one is free (FrameJsonReader).
                frames = Decode(store, revision, name, () => FrameJsonReader.ReadRequest(body.Memory, gate));
            }

            using (frames)
            {
                var calls = services.GetRequiredService<ModelCalls>();
                var key = new ModelKey(revision, name);
                calls.CheckMessageSize(frames.ByteCount, frames.ResponseByteEstimate(anomaly));
                var started = Stopwatch.GetTimestamp();
                using var result = anomaly
                    ? await calls.InvokeAsync(key, (grain, ct) => grain.AnomalyAsync(new AnomalyRequest(frames.X, frames.Y, request.Query.ContainsKey("all_columns")), ct),
                        context.RequestAborted).ConfigureAwait(false)
                    : await calls.InvokeAsync(key, (grain, ct) => grain.PredictAsync(new PredictionRequest(frames.X, frames.Y), ct), context.RequestAborted).ConfigureAwait(false);
                var elapsed = Stopwatch.GetElapsedTime(started);
                await WriteResultAsync(context, result, anomaly ? FrameJsonWriter.FormatTimeSeconds(elapsed) : null, revision, options, gate).ConfigureAwait(false);
            }
        }
        finally
        {
            admission?.Dispose();
        }
    }

    /// <summary>
    /// Encodes the answer: into one pooled buffer sent with its length, or, when it would be larger than
    /// <see cref="ApiOptions.StreamResponsesAboveBytes"/>, streamed to the socket as it is encoded. A
    /// streamed answer does not hold a frame-work slot: its pace is the client's, and the bytes-in-flight
    /// budget already bounds it. Its JSON encoder borrows a free slot's core for a helper while one is free
    /// (measured: a 10 000 x 20 answer at one connection, p50 8 - 15 % lower; a 1 000-row answer kept in
    /// one buffer gained nothing measurable, so it is encoded on one core).
    /// </summary>
    private static async Task WriteResultAsync(HttpContext context, ResultFrame result, string? timeSeconds, string revision, ApiOptions options, FrameWorkGate gate)
    {
        var columns = 2;
        foreach (var group in result.Groups)
        {
            columns += group.SubNames.Length;
        }

        var parquet = context.Request.Query["format"] == "parquet";
        var contentType = parquet ? FrameParquetWriter.ContentType : GordoResponses.JsonContentType;
        // gordo's Parquet answer is the frame alone: no time-seconds, no revision key (the header stays).
        void Encode(IBufferWriter<byte> output, ISpareCore? spareCore)
        {
            if (parquet)
            {
                FrameParquetWriter.Write(output, result);
            }
            else
            {
                FrameJsonWriter.WriteResponse(output, result, timeSeconds, revision, spareCore);
            }
        }

        var estimated = (long)result.RowCount * columns * (parquet ? 9 : 56);
        if (estimated > options.StreamResponsesAboveBytes)
        {
            await StreamedResponse.WriteAsync(context, contentType, output => Encode(output, gate)).ConfigureAwait(false);
            return;
        }

        using var output = new PooledBufferWriter((int)Math.Clamp(estimated, 16 * 1024, 256 * 1024 * 1024));
        using (await gate.EnterAsync(FrameWork.Encode, context.RequestAborted).ConfigureAwait(false))
        {
            Encode(output, spareCore: null);
        }

        await GordoResponses.WriteAsync(context, StatusCodes.Status200OK, contentType, output.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>Decodes X/y; a decoding error for a model that does not exist is that model's 404 (gordo
    /// checks the model first), and the codecs' <see cref="FrameFormatException"/> becomes gordo's 400.</summary>
    private static T Decode<T>(ModelStore store, string revision, string name, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is InvalidFrameException or FrameFormatException)
        {
            ModelNames.RequireModel(store, revision, name);
            throw AsInvalidFrame(ex);
        }
    }

    private static async Task<T> DecodeAsync<T>(ModelStore store, string revision, string name, Func<Task<T>> decode)
    {
        try
        {
            return await decode().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidFrameException or FrameFormatException)
        {
            ModelNames.RequireModel(store, revision, name);
            throw AsInvalidFrame(ex);
        }
    }

    private static Exception AsInvalidFrame(Exception ex) => ex is FrameFormatException format ? new InvalidFrameException(format.Message, format.ErrorKey) : ex;

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
