using System.Buffers.Binary;
using static Gordo.Grains.Parquet.ParquetMetadata;

namespace Gordo.Grains.Parquet;

/// <summary>
/// One column of a file being written: its schema (name, physical type, annotations, optional) and
/// its values, PLAIN-encoded, with a definition level per row when the column is optional.
/// </summary>
internal sealed class ParquetColumnWriter
{
    private readonly List<int> _definitions = [];
    private byte[] _values = new byte[1024];

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

    /// <summary>Room for rows up front (avoids growing the value buffer row by row).</summary>
    public void EnsureCapacity(int rows, int bytesPerRow)
    {
        _definitions.Capacity = Math.Max(_definitions.Capacity, rows);
        var needed = (long)rows * bytesPerRow;
        if (needed > _values.Length && needed < int.MaxValue)
        {
            Array.Resize(ref _values, (int)needed);
        }
    }

    private Span<byte> Reserve(int bytes)
    {
        if (ValueBytes + bytes > _values.Length)
        {
            Array.Resize(ref _values, Math.Max(_values.Length * 2, ValueBytes + bytes));
        }

        var span = _values.AsSpan(ValueBytes, bytes);
        ValueBytes += bytes;
        return span;
    }
}
