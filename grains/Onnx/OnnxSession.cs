using System.Runtime.InteropServices;

namespace Gordo.Grains.Onnx;

/// <summary>
/// An ONNX Runtime inference session created from model bytes. Thread-safe: ONNX Runtime allows
/// concurrent <c>Run</c> calls on one session. Inputs are read straight from caller-owned memory;
/// the output is either ONNX Runtime-allocated (<see cref="Run{T}"/>) or written into caller-owned
/// memory (<see cref="RunInto{TIn,TOut}"/>). Disposal releases the native session once no
/// <c>Run</c> is in flight.
/// </summary>
public sealed unsafe class OnnxSession : IDisposable
{
    private readonly OnnxEnvironment _environment;
    private readonly OrtSessionHandle _handle;
    private readonly Dictionary<string, string> _customMetadata;

    private OnnxSession(OnnxEnvironment environment, OrtSessionHandle handle, OnnxTensorInfo[] inputs,
        OnnxTensorInfo[] outputs, Dictionary<string, string> customMetadata, string? producerName)
    {
        _environment = environment;
        _handle = handle;
        Inputs = inputs;
        Outputs = outputs;
        _customMetadata = customMetadata;
        ProducerName = producerName;
    }

    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>The model's <c>metadata_props</c> (custom metadata map).</summary>
    public IReadOnlyDictionary<string, string> CustomMetadata => _customMetadata;

    public string? ProducerName { get; }

    /// <summary>Looks up one custom metadata key (<c>ModelProto.metadata_props</c>); null when absent.</summary>
    public string? GetCustomMetadata(string key) => _customMetadata.GetValueOrDefault(key);

    /// <summary>Creates a session from the bytes of an ONNX model.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the model; the message is its own.</exception>
    public static OnnxSession Create(OnnxEnvironment environment, ReadOnlySpan<byte> model, OnnxSessionOptions? options = null)
    {
        options ??= new OnnxSessionOptions();
        if (model.IsEmpty)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidProtobuf, "The model is empty (0 bytes).");
        }

        var api = OnnxNative.Api;
        nint sessionOptions = 0;
        nint session = 0;
        api.Check(api.CreateSessionOptions(&sessionOptions));
        try
        {
            if (environment.UsesGlobalThreadPool)
            {
                api.Check(api.DisablePerSessionThreads(sessionOptions));
            }
            else
            {
                api.Check(api.SetIntraOpNumThreads(sessionOptions, environment.IntraOpThreads));
                api.Check(api.SetInterOpNumThreads(sessionOptions, 1));
                AddConfigEntry(api, sessionOptions, "session.intra_op.allow_spinning", "0");
            }

            api.Check(api.SetSessionGraphOptimizationLevel(sessionOptions, options.GraphOptimizationLevel));
            api.Check(options.EnableCpuMemArena ? api.EnableCpuMemArena(sessionOptions) : api.DisableCpuMemArena(sessionOptions));
            if (options.LogId is { } logId)
            {
                var id = Marshal.StringToCoTaskMemUTF8(logId);
                try
                {
                    api.Check(api.SetSessionLogId(sessionOptions, (byte*)id));
                }
                finally
                {
                    Marshal.FreeCoTaskMem(id);
                }
            }

            fixed (byte* bytes = model)
            {
                api.Check(api.CreateSessionFromArray(environment.Handle, bytes, (nuint)model.Length, sessionOptions, &session));
            }
        }
        finally
        {
            api.ReleaseSessionOptions(sessionOptions);
        }

        var handle = new OrtSessionHandle(session);
        try
        {
            var inputs = ReadValueInfos(api, environment, session, isInput: true);
            var outputs = ReadValueInfos(api, environment, session, isInput: false);
            var names = new nint[inputs.Length + outputs.Length];
            handle.Names = names;
            for (var i = 0; i < inputs.Length; i++)
            {
                names[i] = Marshal.StringToCoTaskMemUTF8(inputs[i].Name);
            }

            for (var i = 0; i < outputs.Length; i++)
            {
                names[inputs.Length + i] = Marshal.StringToCoTaskMemUTF8(outputs[i].Name);
            }

            var (metadata, producer) = ReadModelMetadata(api, environment, session);
            return new OnnxSession(environment, handle, inputs, outputs, metadata, producer);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model on its first input, reading <paramref name="input"/> in place, and returns the
    /// first output as an ONNX Runtime-allocated tensor (dispose it when read).
    /// </summary>
    public OnnxTensor Run<T>(ReadOnlySpan<T> input, ReadOnlySpan<long> shape) where T : unmanaged
    {
        CheckShape(input.Length, shape, nameof(input));
        nint output = 0;
        fixed (T* data = input)
        fixed (long* dims = shape)
        {
            RunCore(data, input.Length * sizeof(T), dims, shape.Length, ElementTypeOf<T>(), ref output);
        }

        var tensor = new OrtValueHandle(output);
        try
        {
            return new OnnxTensor(tensor);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model with both tensors over caller-owned memory: the first output is written straight
    /// into <paramref name="output"/>, whose shape the caller states (ONNX Runtime checks it).
    /// </summary>
    public void RunInto<TIn, TOut>(ReadOnlySpan<TIn> input, ReadOnlySpan<long> inputShape, Span<TOut> output, ReadOnlySpan<long> outputShape)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        CheckShape(input.Length, inputShape, nameof(input));
        CheckShape(output.Length, outputShape, nameof(output));
        var api = OnnxNative.Api;
        nint outputValue = 0;
        try
        {
            fixed (TIn* inData = input)
            fixed (long* inDims = inputShape)
            fixed (TOut* outData = output)
            fixed (long* outDims = outputShape)
            {
                api.Check(api.CreateTensorWithDataAsOrtValue(_environment.CpuMemoryInfo, outData, (nuint)(output.Length * sizeof(TOut)),
                    outDims, (nuint)outputShape.Length, (int)ElementTypeOf<TOut>(), &outputValue));
                RunCore(inData, input.Length * sizeof(TIn), inDims, inputShape.Length, ElementTypeOf<TIn>(), ref outputValue);
            }
        }
        finally
        {
            if (outputValue != 0)
            {
                api.ReleaseValue(outputValue);
            }
        }
    }

    /// <summary>
    /// Wraps the input bytes in a tensor and runs the first output: into <paramref name="output"/> when it
    /// is a tensor already, else into a new ONNX Runtime-allocated one returned there. The session's
    /// reference count is held for the call, so a concurrent Dispose waits for it.
    /// </summary>
    private void RunCore(void* data, int bytes, long* dims, int rank, OnnxElementType type, ref nint output)
    {
        var api = OnnxNative.Api;
        var added = false;
        nint inputValue = 0;
        _handle.DangerousAddRef(ref added);
        try
        {
            api.Check(api.CreateTensorWithDataAsOrtValue(_environment.CpuMemoryInfo, data, (nuint)bytes, dims, (nuint)rank, (int)type, &inputValue));
            var names = _handle.Names;
            var inputName = names[0];
            var outputName = names[Inputs.Count];
            var result = output;
            api.Check(api.Run(_handle.DangerousGetHandle(), 0, &inputName, &inputValue, 1, &outputName, 1, &result));
            output = result;
        }
        finally
        {
            if (inputValue != 0)
            {
                api.ReleaseValue(inputValue);
            }

            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>The native session and its first input and output names, for the bare C API baseline in bench/.</summary>
    internal (nint Session, nint InputName, nint OutputName) NativeParts => (_handle.DangerousGetHandle(), _handle.Names[0], _handle.Names[Inputs.Count]);

    private static OnnxElementType ElementTypeOf<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? OnnxElementType.Float
        : typeof(T) == typeof(double) ? OnnxElementType.Double
        : throw new NotSupportedException($"Gordo passes float32 and float64 tensors only, not {typeof(T).Name}.");

    private static void CheckShape(int length, ReadOnlySpan<long> shape, string name)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Shape dimensions must be non-negative (got {d}).", name);
            }

            count *= d;
        }

        if (count != length)
        {
            throw new ArgumentException($"The shape holds {count} elements but the buffer holds {length}.", name);
        }

        if (length == 0)
        {
            // A zero-length span has no address to hand to ONNX Runtime.
            throw new ArgumentException("An empty tensor cannot be passed to ONNX Runtime.", name);
        }
    }

    private static void AddConfigEntry(OrtApi api, nint sessionOptions, string key, string value)
    {
        var k = Marshal.StringToCoTaskMemUTF8(key);
        var v = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            api.Check(api.AddSessionConfigEntry(sessionOptions, (byte*)k, (byte*)v));
        }
        finally
        {
            Marshal.FreeCoTaskMem(k);
            Marshal.FreeCoTaskMem(v);
        }
    }

    private static OnnxTensorInfo[] ReadValueInfos(OrtApi api, OnnxEnvironment environment, nint session, bool isInput)
    {
        nuint count;
        api.Check(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        var infos = new OnnxTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* namePtr = null;
            api.Check(isInput
                ? api.SessionGetInputName(session, i, environment.Allocator, &namePtr)
                : api.SessionGetOutputName(session, i, environment.Allocator, &namePtr));
            string name;
            try
            {
                name = Marshal.PtrToStringUTF8((nint)namePtr) ?? string.Empty;
            }
            finally
            {
                api.Check(api.AllocatorFree(environment.Allocator, namePtr));
            }

            nint typeInfo = 0;
            api.Check(isInput
                ? api.SessionGetInputTypeInfo(session, i, &typeInfo)
                : api.SessionGetOutputTypeInfo(session, i, &typeInfo));
            try
            {
                int onnxType;
                api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
                if (onnxType != 1) // ONNX_TYPE_TENSOR
                {
                    infos[(int)i] = new OnnxTensorInfo(name, false, OnnxElementType.Undefined, []);
                    continue;
                }

                nint tensorInfo = 0; // owned by typeInfo: not released separately
                api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                int elementType;
                api.Check(api.GetTensorElementType(tensorInfo, &elementType));
                nuint rank;
                api.Check(api.GetDimensionsCount(tensorInfo, &rank));
                var shape = new long[(int)rank];
                fixed (long* dims = shape)
                {
                    api.Check(api.GetDimensions(tensorInfo, dims, rank));
                }

                infos[(int)i] = new OnnxTensorInfo(name, true, (OnnxElementType)elementType, shape);
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }

        return infos;
    }

    private static (Dictionary<string, string> Metadata, string? Producer) ReadModelMetadata(OrtApi api, OnnxEnvironment environment, nint session)
    {
        nint metadata = 0;
        api.Check(api.SessionGetModelMetadata(session, &metadata));
        try
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            byte** keys = null;
            long keyCount = 0;
            api.Check(api.ModelMetadataGetCustomMetadataMapKeys(metadata, environment.Allocator, &keys, &keyCount));
            try
            {
                for (long i = 0; i < keyCount; i++)
                {
                    byte* value = null;
                    api.Check(api.ModelMetadataLookupCustomMetadataMap(metadata, environment.Allocator, keys[i], &value));
                    try
                    {
                        var key = Marshal.PtrToStringUTF8((nint)keys[i]) ?? string.Empty;
                        result[key] = value == null ? string.Empty : Marshal.PtrToStringUTF8((nint)value) ?? string.Empty;
                    }
                    finally
                    {
                        if (value != null)
                        {
                            api.Check(api.AllocatorFree(environment.Allocator, value));
                        }
                    }
                }
            }
            finally
            {
                if (keys != null)
                {
                    for (long i = 0; i < keyCount; i++)
                    {
                        api.Check(api.AllocatorFree(environment.Allocator, keys[i]));
                    }

                    api.Check(api.AllocatorFree(environment.Allocator, keys));
                }
            }

            byte* producer = null;
            api.Check(api.ModelMetadataGetProducerName(metadata, environment.Allocator, &producer));
            string? producerName;
            try
            {
                producerName = producer == null ? null : Marshal.PtrToStringUTF8((nint)producer);
            }
            finally
            {
                if (producer != null)
                {
                    api.Check(api.AllocatorFree(environment.Allocator, producer));
                }
            }

            return (result, producerName);
        }
        finally
        {
            api.ReleaseModelMetadata(metadata);
        }
    }
}
