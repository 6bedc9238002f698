using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Gordo.GrainInterfaces;

/// <summary>Writes the binary wire format: little-endian fixed-size integers, length-prefixed UTF-8
/// strings, and numeric arrays copied as raw bytes (no text re-encoding of numbers).</summary>
public sealed class WireWriter(IBufferWriter<byte> output)
{
    public void WriteByte(byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    public void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteInt32(-1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(length);
        Encoding.UTF8.GetBytes(value, output.GetSpan(length));
        output.Advance(length);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        WriteRaw(value);
    }

    /// <summary>Numbers are written in the machine's order; <see cref="WireReader"/> refuses big-endian hosts.</summary>
    public void WriteArray<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        WriteInt32(values.Length);
        WriteRaw(MemoryMarshal.AsBytes(values));
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        // Large arrays go in chunks the writer can give.
        while (!bytes.IsEmpty)
        {
            var span = output.GetSpan(Math.Min(bytes.Length, 1 << 20));
            var count = Math.Min(span.Length, bytes.Length);
            bytes[..count].CopyTo(span);
            output.Advance(count);
            bytes = bytes[count..];
        }
    }
}
