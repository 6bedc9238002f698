using System.Buffers.Binary;
using static Gordo.Frames.Parquet.ParquetMetadata;

namespace Gordo.Frames.Parquet;

/// <summary>
/// One column of a file being written: its schema (name, physical type, annotations, optional) and
/// its values, PLAIN-encoded, with a definition level per row when the column is optional.
/// </summary>
internal sealed class ParquetColumnWriter
{
    private readonly List<int> _definitions = [];
    private byte[] _values = PooledArrays.Rent<byte>(1024);

    public ParquetColumnWriter(string name, PhysicalType type, bool optional = true)
    {
        Name = name;
        Type = type;
        Optional = optional;
    }

    public string Name { get; }

    public PhysicalType Type { get; }

    public bool Optional { get; }

    public LogicalKind Logical { get; init; }

    public bool TimestampAdjustedToUtc { get; init; }

    public TimeUnit TimestampUnit { get; init; } = TimeUnit.Nanos;

    public int? ConvertedType { get; init; }

    public int Rows => _definitions.Count;

    public int NullCount { get; private set; }

    internal int ValueBytes { get; private set; }

    internal ReadOnlySpan<int> Definitions => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_definitions);

    internal ReadOnlySpan<byte> Values => _values.AsSpan(0, ValueBytes);

    public void AddNull()
    {
        if (!Optional)
        {
            throw new InvalidOperationException($"Column {Name} is required.");
        }

        _definitions.Add(0);
        NullCount++;
    }

    public void AddDouble(double value)
    {
        _definitions.Add(1);
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
    }

    public void AddInt64(long value)
    {
        _definitions.Add(1);
        BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);
    }

    public void AddString(ReadOnlySpan<byte> utf8)
    {
        _definitions.Add(1);
        BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), utf8.Length);
        utf8.CopyTo(Reserve(utf8.Length));
    }

    /// <summary>A value already in its PLAIN form (e.g. the 12 bytes of an INT96).</summary>
    public void AddPlain(ReadOnlySpan<byte> plain)
    {
        _definitions.Add(1);
        plain.CopyTo(Reserve(plain.Length));
    }

    /// <summary>
    /// Adds float64 values, NaN as null (pyarrow's from_pandas). A column without NaN is one copy of its
    /// bytes and one run of definition levels.
    /// </summary>
    public void AddDoubles(ReadOnlySpan<double> values)
    {
        var start = _definitions.Count;
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(_definitions, start + values.Length);
        var definitions = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_definitions)[start..];
        if (!ContainsNaN(values))
        {
            definitions.Fill(1);
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(Reserve(values.Length * 8));
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                definitions[i] = 0;
                NullCount++;
            }
            else
            {
                definitions[i] = 1;
                BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), values[i]);
            }
        }
    }

    /// <summary>Gives the value buffer back to the pool; the writer is not used afterwards.</summary>
    public void ReturnBuffers()
    {
        PooledArrays.Return(_values);
        _values = [];
        ValueBytes = 0;
    }

    private static bool ContainsNaN(ReadOnlySpan<double> values)
    {
        foreach (var value in values)
        {
            if (double.IsNaN(value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Room for rows up front (avoids growing the value buffer row by row).</summary>
    public void EnsureCapacity(int rows, int bytesPerRow)
    {
        _definitions.Capacity = Math.Max(_definitions.Capacity, rows);
        var needed = (long)rows * bytesPerRow;
        if (needed > _values.Length && needed < int.MaxValue)
        {
            Grow((int)needed);
        }
    }

    private void Grow(int bytes)
    {
        var bigger = PooledArrays.Rent<byte>(bytes);
        _values.AsSpan(0, ValueBytes).CopyTo(bigger);
        PooledArrays.Return(_values);
        _values = bigger;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (ValueBytes + bytes > _values.Length)
        {
            Grow(Math.Max(_values.Length * 2, ValueBytes + bytes));
        }

        var span = _values.AsSpan(ValueBytes, bytes);
        ValueBytes += bytes;
        return span;
    }
}
