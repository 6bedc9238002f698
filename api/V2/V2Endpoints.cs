using System.Globalization;
using System.Text.Json;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Gordo.Silo;
using Microsoft.Extensions.Options;

namespace Gordo.Api.V2;

/// <summary>The Open Inference Protocol's REST routes: server and model metadata, health, inference.</summary>
internal static class V2Endpoints
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";
    public const string ServerName = "gordo";
    public static readonly string[] Extensions = ["binary_tensor_data", "model_repository"];

    public static Task ServerMetadataAsync(HttpContext context) =>
        V2Responses.WriteObjectAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteString("name", ServerName);
            json.WriteString("version", GordoVersion.Current);
            json.WriteStartArray("extensions");
            foreach (var extension in Extensions)
            {
                json.WriteStringValue(extension);
            }

            json.WriteEndArray();
        });

    public static Task LiveAsync(HttpContext context) =>
        V2Responses.WriteObjectAsync(context, StatusCodes.Status200OK, json => json.WriteBoolean("live", true));

    /// <summary>Ready when the server's readiness checks pass (<c>/health/ready</c>): models found, cluster joined.</summary>
    public static Task ReadyAsync(HttpContext context, GordoHealthChecks health)
    {
        var ready = health.Readiness().All(r => r.Passed);
        return V2Responses.WriteObjectAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
            json => json.WriteBoolean("ready", ready));
    }

    public static async Task ModelMetadataAsync(HttpContext context, string model, string? version, V2Models models)
    {
        var key = models.Resolve(model, version);
        var signature = await models.SignatureAsync(key, context.RequestAborted).ConfigureAwait(false);
        var versions = models.VersionsOf(key.Target);
        await V2Responses.WriteObjectAsync(context, StatusCodes.Status200OK, json => WriteModelMetadata(json, key, signature, versions)).ConfigureAwait(false);
    }

    /// <summary>Ready when the model loads (this loads it, once, wherever its grain lives); 503 when it cannot.</summary>
    public static async Task ModelReadyAsync(HttpContext context, string model, string? version, V2Models models)
    {
        var key = models.Resolve(model, version);
        var ready = true;
        try
        {
            await models.SignatureAsync(key, context.RequestAborted).ConfigureAwait(false);
        }
        catch (MalformedModelException)
        {
            ready = false;
        }

        await V2Responses.WriteObjectAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, json =>
        {
            json.WriteString("name", key.Target);
            json.WriteBoolean("ready", ready);
        }).ConfigureAwait(false);
    }

    public static async Task InferAsync(HttpContext context, string model, string? version, V2Models models, V2Inference inference,
        IOptions<ApiOptions> options, FrameBudget budget, FrameWorkGate gate)
    {
        var key = models.Resolve(model, version);
        var request = context.Request;
        var headerLength = HeaderLength(request);
        var limit = options.Value.MaxRequestBytes;
        var aborted = context.RequestAborted;
        var declared = request.ContentLength is { } length && length <= limit ? length : (long?)null;
        var admission = declared is { } size ? await budget.AcquireAsync(FrameBudget.Estimate(size, parquet: false), aborted).ConfigureAwait(false) : null;
        try
        {
            InferRequest infer;
            using (var body = await RequestBody.ReadAsync(request, limit, aborted).ConfigureAwait(false))
            {
                admission ??= await budget.AcquireAsync(FrameBudget.Estimate(body.Length, parquet: false), aborted).ConfigureAwait(false);
                using var slot = await gate.EnterAsync(FrameWork.Decode, aborted).ConfigureAwait(false);
                infer = InferRequestReader.Read(body.Span, headerLength, Math.Max(1, limit / 2));
            }

            using (infer)
            {
                using var result = await inference.InferAsync(key, infer, aborted).ConfigureAwait(false);
                using var output = new PooledBufferWriter(EstimateBytes(result));
                int? header;
                using (await gate.EnterAsync(FrameWork.Encode, aborted).ConfigureAwait(false))
                {
                    header = InferResponseWriter.Write(output, result);
                }

                if (header is { } h)
                {
                    context.Response.Headers[HeaderLengthHeader] = h.ToString(CultureInfo.InvariantCulture);
                }

                await GordoResponses.WriteAsync(context, StatusCodes.Status200OK, header is null ? GordoResponses.JsonContentType : "application/octet-stream",
                    output.WrittenMemory).ConfigureAwait(false);
            }
        }
        finally
        {
            admission?.Dispose();
        }
    }

    public static void WriteModelMetadata(Utf8JsonWriter json, ModelKey key, ModelSignature signature, IReadOnlyList<string> versions)
    {
        json.WriteString("name", key.Target);
        json.WriteStartArray("versions");
        foreach (var v in versions)
        {
            json.WriteStringValue(v);
        }

        json.WriteEndArray();
        json.WriteString("platform", "onnx_onnxv1");
        json.WriteStartArray("inputs");
        foreach (var tensor in V2Signatures.Inputs(signature))
        {
            WriteTensor(json, tensor);
        }

        json.WriteEndArray();
        json.WriteStartArray("outputs");
        foreach (var tensor in V2Signatures.Outputs(signature))
        {
            WriteTensor(json, tensor);
        }

        json.WriteEndArray();
        json.WriteStartObject("properties");
        foreach (var (name, value) in V2Signatures.Properties(signature))
        {
            json.WriteString(name, value);
        }

        json.WriteEndObject();
    }

    private static void WriteTensor(Utf8JsonWriter json, TensorMetadata tensor)
    {
        json.WriteStartObject();
        TensorJson.WriteHead(json, tensor.Name, tensor.Datatype, tensor.Shape);
        json.WriteEndObject();
    }

    /// <summary>Inference-Header-Content-Length, when the body carries binary tensor data after its JSON.</summary>
    private static int? HeaderLength(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderLengthHeader, out var values))
        {
            return null;
        }

        return int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            ? length
            : throw new InvalidFrameException($"{HeaderLengthHeader} must be a non-negative integer (got '{values}').", "error");
    }

    private static int EstimateBytes(InferResult result)
    {
        long bytes = 1024;
        foreach (var output in result.Outputs)
        {
            bytes += output.Binary ? output.ByteCount : output.Count * 24L;
        }

        return (int)Math.Clamp(bytes, 16 * 1024, 256 * 1024 * 1024);
    }
}
