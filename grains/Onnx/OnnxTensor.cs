namespace Gordo.Grains.Onnx;

/// <summary>
/// A tensor that ONNX Runtime allocated for a <see cref="OnnxSession.Run{T}"/> output. Its data is read
/// in place (no copy) until <see cref="Dispose"/> releases the native value.
/// </summary>
public sealed unsafe class OnnxTensor : IDisposable
{
    private readonly OrtValueHandle _value;
    private readonly void* _data;

    internal OnnxTensor(OrtValueHandle value)
    {
        _value = value;
        var api = OnnxNative.Api;
        nint info = 0;
        api.Check(api.GetTensorTypeAndShape(value.DangerousGetHandle(), &info));
        try
        {
            int type;
            api.Check(api.GetTensorElementType(info, &type));
            ElementType = (OnnxElementType)type;
            nuint rank;
            api.Check(api.GetDimensionsCount(info, &rank));
            var shape = new long[(int)rank];
            fixed (long* dims = shape)
            {
                api.Check(api.GetDimensions(info, dims, rank));
            }

            Shape = shape;
        }
        finally
        {
            api.ReleaseTensorTypeAndShapeInfo(info);
        }

        long count = 1;
        foreach (var d in Shape)
        {
            count *= d;
        }

        ElementCount = checked((int)count);
        void* data;
        api.Check(api.GetTensorMutableData(value.DangerousGetHandle(), &data));
        _data = data;
    }

    public OnnxElementType ElementType { get; }

    public long[] Shape { get; }

    public int ElementCount { get; }

    /// <summary>The data of a float32 tensor, valid until disposal.</summary>
    public ReadOnlySpan<float> Floats => ElementType == OnnxElementType.Float
        ? new ReadOnlySpan<float>(Data, ElementCount)
        : throw new InvalidOperationException($"The tensor holds {ElementType}, not Float.");

    /// <summary>The data of a float64 tensor, valid until disposal.</summary>
    public ReadOnlySpan<double> Doubles => ElementType == OnnxElementType.Double
        ? new ReadOnlySpan<double>(Data, ElementCount)
        : throw new InvalidOperationException($"The tensor holds {ElementType}, not Double.");

    private void* Data
    {
        get
        {
            ObjectDisposedException.ThrowIf(_value.IsClosed, this);
            return _data;
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
            case OnnxElementType.Double:
                Doubles.CopyTo(destination);
                break;
            case OnnxElementType.Float:
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

    public void Dispose() => _value.Dispose();
}
