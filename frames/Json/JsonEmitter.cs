using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Gordo.Frames.Json;

/// <summary>
/// Writes into an <see cref="IBufferWriter{T}"/>'s spans a chunk at a time; <see cref="Commit"/>
/// advances the last one. Names are escaped with the encoder System.Text.Json uses for Gordo's other
/// responses, so the bytes match.
/// </summary>
internal ref struct JsonEmitter(IBufferWriter<byte> output)
{
    /// <summary>Bytes asked of the output at a time; a cell never needs more than a key and a number.</summary>
    public const int ChunkBytes = 32 * 1024;

    private static readonly JavaScriptEncoder s_encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private Span<byte> _span;
    private int _position;

    /// <summary>A span of at least <paramref name="bytes"/> at the current position; say how much was used with <see cref="Advance"/>.</summary>
    public Span<byte> Reserve(int bytes)
    {
        if (_span.Length - _position < bytes)
        {
            Commit();
            _span = output.GetSpan(Math.Max(bytes, ChunkBytes));
        }

        return _span[_position..];
    }

    public void Advance(int bytes) => _position += bytes;

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Reserve(bytes.Length));
        _position += bytes.Length;
    }

    /// <summary>Copies bytes already encoded, a chunk at a time (an output such as a pipe hands out small spans).</summary>
    public void Copy(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var span = Reserve(Math.Min(bytes.Length, ChunkBytes));
            var length = Math.Min(bytes.Length, span.Length);
            bytes[..length].CopyTo(span);
            _position += length;
            bytes = bytes[length..];
        }
    }

    /// <summary>A JSON string, escaped as System.Text.Json's relaxed encoder escapes it.</summary>
    public void String(string value)
    {
        var utf8Length = Encoding.UTF8.GetByteCount(value);
        var pooled = utf8Length > 256 ? PooledArrays.Rent<byte>(utf8Length) : null;
        try
        {
            Span<byte> utf8 = pooled is null ? stackalloc byte[256] : pooled;
            utf8 = utf8[..Encoding.UTF8.GetBytes(value, utf8)];
            // An escape is at most 6 bytes (\uXXXX) per input byte, plus the quotes.
            var span = Reserve((utf8.Length * 6) + 2);
            span[0] = (byte)'"';
            s_encoder.EncodeUtf8(utf8, span[1..], out _, out var written);
            span[written + 1] = (byte)'"';
            _position += written + 2;
        }
        finally
        {
            if (pooled is not null)
            {
                PooledArrays.Return(pooled);
            }
        }
    }

    public void Commit()
    {
        if (_position > 0)
        {
            output.Advance(_position);
            _position = 0;
        }

        // A span is only valid until the writer is advanced.
        _span = default;
    }
}
