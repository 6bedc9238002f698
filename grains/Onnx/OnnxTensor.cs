using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Grains.Onnx;

/// <summary>
/// A tensor that ONNX Runtime allocated for a <see cref="OnnxSession.Run{T}"/> output. Its data is read
/// in place (no copy) until <see cref="Dispose"/> releases the native value.
/// </summary>
public sealed class OnnxTensor : IDisposable
{
    private readonly IDisposableReadOnlyCollection<OrtValue> _outputs;
    private readonly OrtValue _value;
    private bool _disposed;

    internal OnnxTensor(IDisposableReadOnlyCollection<OrtValue> outputs)
    {
        _outputs = outputs;
        _value = outputs.First();
        var info = _value.GetTensorTypeAndShape();
        ElementType = info.ElementDataType;
        Shape = info.Shape;
        ElementCount = checked((int)info.ElementCount);
    }

    public TensorElementType ElementType { get; }

    public long[] Shape { get; }

    public int ElementCount { get; }

    /// <summary>The data of a float32 tensor, valid until disposal.</summary>
    public ReadOnlySpan<float> Floats => ElementType == TensorElementType.Float
        ? Live.GetTensorDataAsSpan<float>()
        : throw new InvalidOperationException($"The tensor holds {ElementType}, not Float.");

    /// <summary>The data of a float64 tensor, valid until disposal.</summary>
    public ReadOnlySpan<double> Doubles => ElementType == TensorElementType.Double
        ? Live.GetTensorDataAsSpan<double>()
        : throw new InvalidOperationException($"The tensor holds {ElementType}, not Double.");

    private OrtValue Live
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _value;
        }
    }

    /// <summary>Copies the tensor into <paramref name="destination"/> as float64, widening float32.</summary>
    public void CopyTo(Span<double> destination)
    {
        if (destination.Length < ElementCount)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; the tensor has {ElementCount}.", nameof(destination));
        }

        switch (ElementType)
        {
            case TensorElementType.Double:
                Doubles.CopyTo(destination);
                break;
            case TensorElementType.Float:
                var floats = Floats;
                for (var i = 0; i < floats.Length; i++)
                {
                    destination[i] = floats[i];
                }

                break;
            default:
                throw new InvalidOperationException($"The tensor holds {ElementType}; Gordo reads only Float and Double outputs.");
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _outputs.Dispose();
        }
    }
}
