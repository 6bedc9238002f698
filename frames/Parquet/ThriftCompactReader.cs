using System.Text;

namespace Gordo.Frames.Parquet;

/// <summary>
/// Reads the Thrift compact protocol (Parquet's footer and page headers) from a span, bounds-checked:
/// every length and count is checked against the bytes left, nesting is limited, and a malformed
/// input ends in a <see cref="ParquetFormatException"/>, never an out-of-range read or a huge allocation.
/// </summary>
internal ref struct ThriftCompactReader(ReadOnlySpan<byte> data)
{
    public const byte Stop = 0, BoolTrue = 1, BoolFalse = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;
    private int _depth;

    public readonly int Position => _position;

    /// <summary>Reads the next field header of the current struct; false at its end (STOP).</summary>
    public bool NextField(ref short lastFieldId, out short fieldId, out byte type)
    {
        var header = ReadByte();
        type = (byte)(header & 0x0F);
        if (type == Stop)
        {
            fieldId = 0;
            return false;
        }

        var delta = header >> 4;
        fieldId = delta != 0 ? (short)(lastFieldId + delta) : (short)ZigZag32(ReadVarint32());
        lastFieldId = fieldId;
        if (type > Struct)
        {
            throw new ParquetFormatException($"Unknown Thrift type {type} in the metadata.");
        }

        return true;
    }

    /// <summary>Call on entering a nested struct; pair with <see cref="LeaveStruct"/>.</summary>
    public void EnterStruct()
    {
        if (++_depth > MaxDepth)
        {
            throw new ParquetFormatException("The metadata nests too deeply.");
        }
    }

    public void LeaveStruct() => _depth--;

    public static bool FieldBool(byte type) => type switch
    {
        BoolTrue => true,
        BoolFalse => false,
        _ => throw new ParquetFormatException($"Expected a boolean field, found Thrift type {type}."),
    };

    public int ReadI32(byte type)
    {
        Expect(type, I32);
        return ZigZag32(ReadVarint32());
    }

    public long ReadI64(byte type)
    {
        Expect(type, I64);
        return ZigZag64(ReadVarint64());
    }

    public short ReadI16(byte type)
    {
        Expect(type, I16);
        return (short)ZigZag32(ReadVarint32());
    }

    public sbyte ReadI8(byte type)
    {
        Expect(type, Byte);
        return (sbyte)ReadByte();
    }

    public ReadOnlySpan<byte> ReadBinary(byte type)
    {
        Expect(type, Binary);
        var length = ReadVarint32();
        if (length > (uint)(_data.Length - _position))
        {
            throw new ParquetFormatException("A string in the metadata runs past its end.");
        }

        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    public string ReadString(byte type)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(ReadBinary(type));
        }
        catch (DecoderFallbackException)
        {
            throw new ParquetFormatException("A string in the metadata is not valid UTF-8.");
        }
    }

    /// <summary>A list header: element type and count (the count is checked against the bytes left).</summary>
    public int ReadListHeader(byte type, out byte elementType)
    {
        if (type is not (List or Set))
        {
            throw new ParquetFormatException($"Expected a list, found Thrift type {type}.");
        }

        var header = ReadByte();
        elementType = (byte)(header & 0x0F);
        var count = header >> 4;
        var size = count == 15 ? ReadVarint32() : (uint)count;
        // Every element takes at least one byte, except booleans in a list which also take one.
        if (size > (uint)(_data.Length - _position))
        {
            throw new ParquetFormatException("A list in the metadata claims more elements than there are bytes.");
        }

        return (int)size;
    }

    public static void ExpectStructElement(byte elementType) => Expect(elementType, Struct);

    /// <summary>Skips a value of the given type, nested structures included.</summary>
    public void Skip(byte type)
    {
        switch (type)
        {
            case BoolTrue or BoolFalse:
                return;
            case Byte:
                ReadByte();
                return;
            case I16 or I32:
                ReadVarint32();
                return;
            case I64:
                ReadVarint64();
                return;
            case Double:
                Advance(8);
                return;
            case Binary:
                ReadBinary(Binary);
                return;
            case List or Set:
                {
                    var count = ReadListHeader(type, out var element);
                    for (var i = 0; i < count; i++)
                    {
                        SkipElement(element);
                    }

                    return;
                }

            case Map:
                {
                    var size = ReadVarint32();
                    if (size == 0)
                    {
                        return;
                    }

                    if (size > (uint)(_data.Length - _position))
                    {
                        throw new ParquetFormatException("A map in the metadata claims more entries than there are bytes.");
                    }

                    var types = ReadByte();
                    for (var i = 0; i < size; i++)
                    {
                        SkipElement((byte)(types >> 4));
                        SkipElement((byte)(types & 0x0F));
                    }

                    return;
                }

            case Struct:
                {
                    EnterStruct();
                    short last = 0;
                    while (NextField(ref last, out _, out var fieldType))
                    {
                        Skip(fieldType);
                    }

                    LeaveStruct();
                    return;
                }

            default:
                throw new ParquetFormatException($"Unknown Thrift type {type} in the metadata.");
        }
    }

    private void SkipElement(byte type)
    {
        // Inside lists and maps a boolean is a whole byte.
        if (type is BoolTrue or BoolFalse)
        {
            ReadByte();
        }
        else
        {
            Skip(type);
        }
    }

    private static void Expect(byte actual, byte expected)
    {
        if (actual != expected)
        {
            throw new ParquetFormatException($"Expected Thrift type {expected} in the metadata, found {actual}.");
        }
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new ParquetFormatException("The metadata ends too early.");
        }

        return _data[_position++];
    }

    private void Advance(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new ParquetFormatException("The metadata ends too early.");
        }

        _position += count;
    }

    private uint ReadVarint32()
    {
        uint value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            value |= (uint)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ParquetFormatException("A variable-length integer in the metadata is too long.");
    }

    private ulong ReadVarint64()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ParquetFormatException("A variable-length integer in the metadata is too long.");
    }

    private static int ZigZag32(uint value) => (int)(value >> 1) ^ -(int)(value & 1);

    private static long ZigZag64(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
