using Gordo.GrainInterfaces;

namespace Gordo.Api.V2;

/// <summary>
/// An input tensor of an inference request, decoded into pooled float64 (FP32 values are exact in
/// float64). <see cref="TakeValues"/> hands the array to a frame, which returns it to the pool.
/// </summary>
internal sealed class InferInput(string name, TensorDatatype datatype, long[] shape, double[] pooledValues, int count) : IDisposable
{
    private double[]? _values = pooledValues;

    public string Name { get; } = name;

    public TensorDatatype Datatype { get; } = datatype;

    public long[] Shape { get; } = shape;

    public int Count { get; } = count;

    public ReadOnlySpan<double> Values => (_values ?? throw new ObjectDisposedException(nameof(InferInput))).AsSpan(0, Count);

    /// <summary>Element count of a shape; 400 when a dimension is negative or the tensor is over <paramref name="maxCells"/>.</summary>
    public static int ElementCount(string name, ReadOnlySpan<long> shape, long maxCells)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
            {
                throw new InvalidFrameException($"Input '{name}' has a negative dimension in its shape.", "error");
            }

            count *= dimension;
            if (count > maxCells)
            {
                throw new InvalidFrameException($"Input '{name}' has more than {maxCells} elements.", "error");
            }
        }

        return (int)count;
    }

    public double[] TakeValues() => Interlocked.Exchange(ref _values, null) ?? throw new ObjectDisposedException(nameof(InferInput));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _values, null) is { } values)
        {
            PooledArrays.Return(values);
        }
    }
}
