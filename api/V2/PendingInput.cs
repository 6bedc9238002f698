namespace Gordo.Api.V2;

/// <summary>An input while its JSON is read: fields in any order, values growing in a pooled array.</summary>
internal sealed class PendingInput : IDisposable
{
    public string? Name { get; set; }

    public TensorDatatype? Datatype { get; set; }

    public long[]? Shape { get; set; }

    public long? BinarySize { get; set; }

    public double[]? Values { get; set; }

    public int Count { get; private set; }

    public void Add(double value)
    {
        if (Count == Values!.Length)
        {
            var bigger = PooledArrays.Rent<double>(Values.Length * 2);
            Values.AsSpan(0, Count).CopyTo(bigger);
            PooledArrays.Return(Values);
            Values = bigger;
        }

        Values[Count++] = value;
    }

    public double[] TakeValues()
    {
        var values = Values!;
        Values = null;
        return values;
    }

    public void Dispose()
    {
        if (Values is { } values)
        {
            Values = null;
            PooledArrays.Return(values);
        }
    }
}
