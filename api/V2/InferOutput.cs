namespace Gordo.Api.V2;

/// <summary>An output tensor: float64 values, row-major, pooled; written as FP32 or FP64.</summary>
internal sealed class InferOutput(string name, TensorDatatype datatype, long[] shape, double[] pooledValues, int count) : IDisposable
{
    private double[]? _values = pooledValues;

    public string Name { get; } = name;

    public TensorDatatype Datatype { get; } = datatype;

    public long[] Shape { get; } = shape;

    public int Count { get; } = count;

    /// <summary>Set from the request's <c>binary_data</c> / <c>binary_data_output</c> parameters.</summary>
    public bool Binary { get; set; }

    public int ByteCount => Count * (Datatype == TensorDatatype.FP32 ? sizeof(float) : sizeof(double));

    public ReadOnlySpan<double> Values => (_values ?? throw new ObjectDisposedException(nameof(InferOutput))).AsSpan(0, Count);

    /// <summary>The values as little-endian bytes of the tensor's datatype.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        var values = Values;
        if (Datatype == TensorDatatype.FP64)
        {
            if (BitConverter.IsLittleEndian)
            {
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(destination);
                return;
            }

            for (var i = 0; i < values.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(destination[(i * 8)..], values[i]);
            }

            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], (float)values[i]);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _values, null) is { } values)
        {
            PooledArrays.Return(values);
        }
    }
}
