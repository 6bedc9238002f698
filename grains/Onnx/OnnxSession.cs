using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OrtException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace Gordo.Grains.Onnx;

/// <summary>
/// An ONNX Runtime <see cref="InferenceSession"/> created from model bytes, with what Gordo checks
/// about it (inputs, outputs, custom metadata). Thread-safe: ONNX Runtime allows concurrent runs on one
/// session. Inputs are <see cref="OrtValue"/>s over the caller's memory (no copy); the output is either
/// ONNX Runtime-allocated (<see cref="Run{T}"/>) or written into caller-owned memory
/// (<see cref="RunInto{TIn,TOut}"/>). Disposal releases the native session once no run is in flight.
/// </summary>
public sealed class OnnxSession : IDisposable
{
    private static readonly RunOptions s_runOptions = new();

    private readonly InferenceSession _session;
    private readonly string[] _inputName;
    private readonly string[] _outputName;
    private readonly IReadOnlyDictionary<string, string> _customMetadata;
    private int _active;
    private int _disposed;
    private int _released;

    private OnnxSession(InferenceSession session, OnnxTensorInfo[] inputs, OnnxTensorInfo[] outputs, IReadOnlyDictionary<string, string> customMetadata, string? producerName)
    {
        _session = session;
        Inputs = inputs;
        Outputs = outputs;
        _customMetadata = customMetadata;
        ProducerName = producerName;
        _inputName = [inputs.Length > 0 ? inputs[0].Name : string.Empty];
        _outputName = [outputs.Length > 0 ? outputs[0].Name : string.Empty];
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
    public static OnnxSession Create(OnnxEnvironment environment, byte[] model, OnnxSessionOptions? options = null)
    {
        options ??= new OnnxSessionOptions();
        if (model.Length == 0)
        {
            throw new OnnxRuntimeException("The model is empty (0 bytes).");
        }

        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimizationLevel switch
            {
                0 => GraphOptimizationLevel.ORT_DISABLE_ALL,
                1 => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                2 => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            EnableCpuMemArena = options.EnableCpuMemArena,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        };
        if (options.LogId is { } logId)
        {
            sessionOptions.LogId = logId;
        }

        if (environment.UsesGlobalThreadPool)
        {
            sessionOptions.DisablePerSessionThreads();
        }
        else
        {
            sessionOptions.IntraOpNumThreads = environment.IntraOpThreads;
            sessionOptions.InterOpNumThreads = 1;
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        InferenceSession session;
        try
        {
            session = new InferenceSession(model, sessionOptions);
        }
        catch (OrtException ex)
        {
            throw OnnxRuntimeException.From(ex);
        }

        try
        {
            var inputs = session.InputNames.Select(name => Describe(name, session.InputMetadata[name])).ToArray();
            var outputs = session.OutputNames.Select(name => Describe(name, session.OutputMetadata[name])).ToArray();
            var metadata = session.ModelMetadata;
            return new OnnxSession(session, inputs, outputs, new Dictionary<string, string>(metadata.CustomMetadataMap, StringComparer.Ordinal),
                string.IsNullOrEmpty(metadata.ProducerName) ? null : metadata.ProducerName);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the model on its first input, reading <paramref name="input"/> in place, and returns the
    /// first output as an ONNX Runtime-allocated tensor (dispose it when read).
    /// </summary>
    public OnnxTensor Run<T>(ReadOnlyMemory<T> input, ReadOnlySpan<long> shape) where T : unmanaged
    {
        var dims = CheckShape(input.Length, shape, nameof(input));
        Enter();
        try
        {
            using var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(input), dims);
            return new OnnxTensor(_session.Run(s_runOptions, _inputName, [value], _outputName));
        }
        catch (OrtException ex)
        {
            throw OnnxRuntimeException.From(ex);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Runs the model with both tensors over caller-owned memory: the first output is written straight
    /// into <paramref name="output"/>, whose shape the caller states (ONNX Runtime checks it).
    /// </summary>
    public void RunInto<TIn, TOut>(ReadOnlyMemory<TIn> input, ReadOnlySpan<long> inputShape, Memory<TOut> output, ReadOnlySpan<long> outputShape)
        where TIn : unmanaged
        where TOut : unmanaged
    {
        var inDims = CheckShape(input.Length, inputShape, nameof(input));
        var outDims = CheckShape(output.Length, outputShape, nameof(output));
        Enter();
        try
        {
            using var inValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, MemoryMarshal.AsMemory(input), inDims);
            using var outValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, output, outDims);
            _session.Run(s_runOptions, _inputName, [inValue], _outputName, [outValue]);
        }
        catch (OrtException ex)
        {
            throw OnnxRuntimeException.From(ex);
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>Releases the native session now, or when the last run in flight ends.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && Interlocked.Add(ref _active, int.MinValue / 2) == int.MinValue / 2)
        {
            Release();
        }
    }

    /// <summary>The session itself, for the bare-library baseline in bench/.</summary>
    internal (InferenceSession Session, string InputName, string OutputName) LibraryParts => (_session, _inputName[0], _outputName[0]);

    private void Enter()
    {
        if (Interlocked.Increment(ref _active) < 0)
        {
            Exit();
            throw new ObjectDisposedException(nameof(OnnxSession));
        }
    }

    private void Exit()
    {
        // After Dispose the count is offset by int.MinValue / 2: the last run out releases the session.
        if (Interlocked.Decrement(ref _active) == int.MinValue / 2 && Volatile.Read(ref _disposed) == 1)
        {
            Release();
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _session.Dispose();
        }
    }

    private static OnnxTensorInfo Describe(string name, NodeMetadata node) => node.IsTensor
        ? new OnnxTensorInfo(name, true, node.ElementDataType, [.. node.Dimensions.Select(d => (long)d)])
        : new OnnxTensorInfo(name, false, TensorElementType.DataTypeMax, []);

    private static long[] CheckShape(int length, ReadOnlySpan<long> shape, string name)
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
            throw new ArgumentException("An empty tensor cannot be passed to ONNX Runtime.", name);
        }

        return shape.ToArray();
    }
}
