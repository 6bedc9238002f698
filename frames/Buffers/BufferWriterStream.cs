using System.Buffers;

namespace Gordo.Frames.Buffers;

/// <summary>A write-only stream into an <see cref="IBufferWriter{T}"/> (a pooled buffer, or the response
/// pipe of a streamed answer), so that the Parquet writer writes where the answer goes, not into a copy.</summary>
public sealed class BufferWriterStream(IBufferWriter<byte> output) : Stream
{
    private long _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(output.GetSpan(buffer.Length));
        output.Advance(buffer.Length);
        _written += buffer.Length;
    }

    // Synchronous: the base class would hand each write to the thread pool.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
