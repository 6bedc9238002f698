using System.Text;

namespace Gordo.Frames.Parquet;

/// <summary>Writes the Thrift compact protocol (Parquet's footer and page headers) into a growable buffer.</summary>
internal sealed class ThriftCompactWriter
{
    private readonly Stack<short> _lastFieldIds = new();
    private byte[] _buffer = new byte[256];
    private short _lastFieldId;

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, Length);

    public void Clear()
    {
        Length = 0;
        _lastFieldId = 0;
        _lastFieldIds.Clear();
    }

    public void FieldI32(short id, int value)
    {
        FieldHeader(id, ThriftCompactReader.I32);
        Varint(ZigZag(value));
    }

    public void FieldI64(short id, long value)
    {
        FieldHeader(id, ThriftCompactReader.I64);
        Varint(ZigZag(value));
    }

    public void FieldI8(short id, sbyte value)
    {
        FieldHeader(id, ThriftCompactReader.Byte);
        Byte((byte)value);
    }

    public void FieldBool(short id, bool value) => FieldHeader(id, value ? ThriftCompactReader.BoolTrue : ThriftCompactReader.BoolFalse);

    public void FieldString(short id, string value)
    {
        FieldHeader(id, ThriftCompactReader.Binary);
        var bytes = Encoding.UTF8.GetBytes(value);
        Varint((ulong)bytes.Length);
        Bytes(bytes);
    }

    /// <summary>Starts a struct-typed field; end it with <see cref="EndStruct"/>.</summary>
    public void FieldStruct(short id)
    {
        FieldHeader(id, ThriftCompactReader.Struct);
        BeginStruct();
    }

    /// <summary>Starts a list-typed field of <paramref name="count"/> elements of <paramref name="elementType"/>.</summary>
    public void FieldList(short id, byte elementType, int count)
    {
        FieldHeader(id, ThriftCompactReader.List);
        if (count < 15)
        {
            Byte((byte)((count << 4) | elementType));
        }
        else
        {
            Byte((byte)(0xF0 | elementType));
            Varint((ulong)count);
        }
    }

    public void ElementI32(int value) => Varint(ZigZag(value));

    public void ElementString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Varint((ulong)bytes.Length);
        Bytes(bytes);
    }

    /// <summary>Starts a struct that is a list element (or the top-level struct).</summary>
    public void BeginStruct()
    {
        _lastFieldIds.Push(_lastFieldId);
        _lastFieldId = 0;
    }

    public void EndStruct()
    {
        Byte(ThriftCompactReader.Stop);
        _lastFieldId = _lastFieldIds.Pop();
    }

    private void FieldHeader(short id, byte type)
    {
        var delta = id - _lastFieldId;
        if (delta is > 0 and <= 15)
        {
            Byte((byte)((delta << 4) | type));
        }
        else
        {
            Byte(type);
            Varint(ZigZag(id));
        }

        _lastFieldId = id;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Byte((byte)(value | 0x80));
            value >>= 7;
        }

        Byte((byte)value);
    }

    private void Byte(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
    }

    private void Bytes(ReadOnlySpan<byte> value)
    {
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
    }

    private void Ensure(int more)
    {
        if (Length + more > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + more));
        }
    }
}
