using System.Buffers.Binary;
using Google.Protobuf;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Gordo.Api.V2.Grpc.Protocol;
using Gordo.Silo;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Gordo.Api.V2.Grpc;

/// <summary>
/// <c>inference.GRPCInferenceService</c> over the same model grains as the REST routes. Inputs come in
/// <c>contents</c> (fp32/fp64) or <c>raw_input_contents</c>; outputs go back the way the inputs came
/// (raw for raw). Errors are gRPC statuses with a message: INVALID_ARGUMENT for what the request got
/// wrong, NOT_FOUND for an unknown model, RESOURCE_EXHAUSTED and UNAVAILABLE as on REST. Its methods
/// are bound by <see cref="InferenceGrpcMethods"/>, whose marshallers make a message that does not
/// parse INVALID_ARGUMENT too.
/// </summary>
internal sealed class InferenceGrpcService(V2Models models, V2Inference inference, GordoHealthChecks health, IOptions<ApiOptions> options,
    FrameBudget budget, FrameWorkGate gate)
{
    public Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = health.Readiness().All(r => r.Passed) });

    public Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse { Name = V2Endpoints.ServerName, Version = GordoVersion.Current, Extensions = { V2Endpoints.Extensions } });

    public Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        GrpcCalls.RunAsync(context, request.Name, async () =>
        {
            var key = models.Resolve(request.Name, request.Version);
            try
            {
                await models.SignatureAsync(key, context.CancellationToken).ConfigureAwait(false);
                return new ModelReadyResponse { Ready = true };
            }
            catch (MalformedModelException)
            {
                return new ModelReadyResponse { Ready = false };
            }
        });

    public Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) =>
        GrpcCalls.RunAsync(context, request.Name, async () =>
        {
            var key = models.Resolve(request.Name, request.Version);
            var signature = await models.SignatureAsync(key, context.CancellationToken).ConfigureAwait(false);
            var response = new ModelMetadataResponse { Name = key.Target, Platform = "onnx_onnxv1", Versions = { models.VersionsOf(key.Target) } };
            response.Inputs.AddRange(V2Signatures.Inputs(signature).Select(Tensor));
            response.Outputs.AddRange(V2Signatures.Outputs(signature).Select(Tensor));
            foreach (var (name, value) in V2Signatures.Properties(signature))
            {
                response.Properties[name] = value;
            }

            return response;
        });

    public Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) =>
        GrpcCalls.RunAsync(context, request.ModelName, async () =>
        {
            var key = models.Resolve(request.ModelName, request.ModelVersion);
            var aborted = context.CancellationToken;
            var size = request.CalculateSize();
            if (size > options.Value.MaxRequestBytes)
            {
                throw new GordoException(StatusCodes.Status413PayloadTooLarge, $"The request is {size} bytes; the limit is {options.Value.MaxRequestBytes}.");
            }

            using var admission = await budget.AcquireAsync(FrameBudget.Estimate(size, parquet: false), aborted).ConfigureAwait(false);
            var raw = request.RawInputContents.Count > 0;
            InferRequest infer;
            using (await gate.EnterAsync(FrameWork.Decode, aborted).ConfigureAwait(false))
            {
                infer = ReadRequest(request, Math.Max(1, options.Value.MaxRequestBytes / 4));
            }

            using (infer)
            {
                using var result = await inference.InferAsync(key, infer, aborted).ConfigureAwait(false);
                using (await gate.EnterAsync(FrameWork.Encode, aborted).ConfigureAwait(false))
                {
                    return WriteResponse(result, raw, context.GetHttpContext().Response);
                }
            }
        });

    private static InferRequest ReadRequest(ModelInferRequest request, long maxCells)
    {
        var raw = request.RawInputContents.Count > 0;
        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Invalid($"raw_input_contents has {request.RawInputContents.Count} entries for {request.Inputs.Count} inputs; give one per input, or none.");
        }

        var inputs = new List<InferInput>(request.Inputs.Count);
        try
        {
            for (var i = 0; i < request.Inputs.Count; i++)
            {
                inputs.Add(ReadInput(request.Inputs[i], raw ? request.RawInputContents[i] : null, maxCells));
            }

            if (inputs.Count == 0)
            {
                throw Invalid("The request has no inputs.");
            }

            List<RequestedOutput>? outputs = request.Outputs.Count == 0
                ? null
                : [.. request.Outputs.Select(o => new RequestedOutput(o.Name, null))];
            return new InferRequest(string.IsNullOrEmpty(request.Id) ? null : request.Id, inputs, outputs, binaryOutputs: false);
        }
        catch
        {
            inputs.ForEach(i => i.Dispose());
            throw;
        }
    }

    private static InferInput ReadInput(ModelInferRequest.Types.InferInputTensor tensor, ByteString? raw, long maxCells)
    {
        var name = tensor.Name;
        var datatype = tensor.Datatype switch
        {
            "FP32" => TensorDatatype.FP32,
            "FP64" => TensorDatatype.FP64,
            _ => throw Invalid($"Input '{name}' has datatype '{tensor.Datatype}'; Gordo's models take FP32 or FP64."),
        };
        var shape = tensor.Shape.ToArray();
        var count = InferInput.ElementCount(name, shape, maxCells);
        var contents = tensor.Contents;
        var fp32 = datatype == TensorDatatype.FP32;
        // Every count is checked against what came before anything is allocated: a small message
        // cannot make the server allocate for the shape it claims.
        if (raw is not null)
        {
            if (contents is not null && (contents.Fp32Contents.Count > 0 || contents.Fp64Contents.Count > 0))
            {
                throw Invalid($"Input '{name}' has both contents and raw_input_contents.");
            }

            var elementSize = fp32 ? sizeof(float) : sizeof(double);
            if (raw.Length != (long)count * elementSize)
            {
                throw Invalid($"Input '{name}' has {raw.Length} bytes of raw contents; shape [{string.Join(", ", shape)}] of {tensor.Datatype} is {(long)count * elementSize} bytes.");
            }
        }
        else
        {
            if (contents is not null && (fp32 ? contents.Fp64Contents.Count : contents.Fp32Contents.Count) > 0)
            {
                throw Invalid($"Input '{name}' is {tensor.Datatype} but its values are in {(fp32 ? "fp64_contents" : "fp32_contents")}.");
            }

            var given = contents is null ? 0 : fp32 ? contents.Fp32Contents.Count : contents.Fp64Contents.Count;
            if (given != count)
            {
                throw Invalid($"Input '{name}' has {given} values in {(fp32 ? "fp32_contents" : "fp64_contents")}; shape [{string.Join(", ", shape)}] holds {count}.");
            }
        }

        var values = PooledArrays.Rent<double>(Math.Max(1, count));
        if (raw is not null)
        {
            var bytes = raw.Span;
            for (var i = 0; i < count; i++)
            {
                values[i] = fp32 ? BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]) : BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
            }
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                values[i] = fp32 ? contents!.Fp32Contents[i] : contents!.Fp64Contents[i];
            }
        }

        return new InferInput(name, datatype, shape, values, count);
    }

    private static ModelInferResponse WriteResponse(InferResult result, bool raw, HttpResponse http)
    {
        var response = new ModelInferResponse { ModelName = result.Model, ModelVersion = result.Version, Id = result.Id ?? string.Empty };
        foreach (var output in result.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.Datatype.ToString(), Shape = { output.Shape } };
            if (raw)
            {
                var bytes = PooledArrays.Rent<byte>(Math.Max(1, output.ByteCount));
                http.RegisterForDispose(new PooledBytes(bytes));
                output.WriteBytes(bytes);
                response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(bytes.AsMemory(0, output.ByteCount)));
            }
            else
            {
                var contents = new InferTensorContents();
                var values = output.Values;
                if (output.Datatype == TensorDatatype.FP32)
                {
                    var floats = new float[values.Length];
                    for (var i = 0; i < values.Length; i++)
                    {
                        floats[i] = (float)values[i];
                    }

                    contents.Fp32Contents.AddRange(floats);
                }
                else
                {
                    contents.Fp64Contents.AddRange(values.ToArray());
                }

                tensor.Contents = contents;
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(TensorMetadata tensor) =>
        new() { Name = tensor.Name, Datatype = tensor.Datatype.ToString(), Shape = { tensor.Shape } };

    private static InvalidFrameException Invalid(string message) => new(message, "error");

    private sealed class PooledBytes(byte[] bytes) : IDisposable
    {
        public void Dispose() => PooledArrays.Return(bytes);
    }
}
