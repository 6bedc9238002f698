using System.Buffers;
using System.IO.Pipelines;

namespace Gordo.Silo;

/// <summary>
/// A write-only stream that passes the exposition to a <see cref="PipeWriter"/> (the response body) with
/// <see cref="PythonBucketLabels"/> applied, as prometheus-net writes it. With 2 000 models the exposition
/// is about 7 MB: buffering it whole (and its rewritten copy) put 14 MB on the large-object heap every
/// scrape, and the gen-2 collections that paid for it were most of a scrape's CPU. The rewrite works on
/// whole lines (a label value's newline is escaped, so a raw <c>\n</c> always ends a sample); the part of
/// a write after its last newline waits for the next write, or for <see cref="CompleteAsync"/>.
/// </summary>
public sealed class PythonBucketLabelStream(PipeWriter output) : Stream
{
    private byte[] _partialLine = [];
    private int _partialLength;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var lastNewLine = buffer.LastIndexOf((byte)'\n');
        if (lastNewLine < 0)
        {
            KeepPartialLine(buffer);
            return;
        }

        if (_partialLength > 0)
        {
            // The line begun in the last write ends here: finish it on its own, then the rest.
            var firstNewLine = buffer.IndexOf((byte)'\n');
            KeepPartialLine(buffer[..(firstNewLine + 1)]);
            PythonBucketLabels.Rewrite(_partialLine.AsSpan(0, _partialLength), output);
            _partialLength = 0;
            buffer = buffer[(firstNewLine + 1)..];
            lastNewLine -= firstNewLine + 1;
        }

        PythonBucketLabels.Rewrite(buffer[..(lastNewLine + 1)], output);
        KeepPartialLine(buffer[(lastNewLine + 1)..]);
    }

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await WriteAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushing passes on what was written; a line without its newline still waits for it.</summary>
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        output.FlushAsync(cancellationToken).AsTask();

    /// <summary>Writes out a last line that had no newline, and flushes.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_partialLength > 0)
        {
            PythonBucketLabels.Rewrite(_partialLine.AsSpan(0, _partialLength), output);
            _partialLength = 0;
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_partialLine.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_partialLine);
            _partialLine = [];
        }

        base.Dispose(disposing);
    }

    private void KeepPartialLine(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var needed = _partialLength + bytes.Length;
        if (needed > _partialLine.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            _partialLine.AsSpan(0, _partialLength).CopyTo(larger);
            if (_partialLine.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_partialLine);
            }

            _partialLine = larger;
        }

        bytes.CopyTo(_partialLine.AsSpan(_partialLength));
        _partialLength = needed;
    }
}
