using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Gordo.GrainInterfaces;

/// <summary>Reads what <see cref="WireWriter"/> wrote. Every length is checked against what remains,
/// so a truncated or corrupt message is a <see cref="WireFormatException"/>, never an overrun.</summary>
public ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Gordo's wire format needs a little-endian host.");
        }

        _data = data;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte() => Take(1)[0];

    public bool ReadBoolean() => ReadByte() != 0;

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public string? ReadString()
    {
        var length = ReadInt32();
        return length == -1 ? null : Encoding.UTF8.GetString(Take(CheckLength(length, 1)));
    }

    public string ReadRequiredString() => ReadString() ?? throw new WireFormatException("A required string is null.");

    public byte[] ReadBytes() => Take(CheckLength(ReadInt32(), 1)).ToArray();

    /// <summary>The element count of the array that follows; read it with <see cref="ReadArrayInto{T}"/>.</summary>
    public int ReadArrayLength<T>() where T : unmanaged => CheckLength(ReadInt32(), Marshal.SizeOf<T>());

    public void ReadArrayInto<T>(Span<T> destination) where T : unmanaged =>
        Take(destination.Length * Marshal.SizeOf<T>()).CopyTo(MemoryMarshal.AsBytes(destination));

    public T[] ReadArray<T>() where T : unmanaged
    {
        var values = new T[ReadArrayLength<T>()];
        ReadArrayInto<T>(values);
        return values;
    }

    private int CheckLength(int count, int elementSize)
    {
        if (count < 0 || (long)count * elementSize > Remaining)
        {
            throw new WireFormatException($"A length of {count} does not fit the {Remaining} bytes left.");
        }

        return count;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new WireFormatException($"The message ends {count - Remaining} bytes early.");
        }

        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
