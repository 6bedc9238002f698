using Gordo.GrainInterfaces;

namespace Gordo.Api.Http;

/// <summary>A request body read whole into a pooled buffer (the JSON decoder wants contiguous bytes).</summary>
public sealed class RequestBody : IDisposable
{
    private byte[] _buffer;

    private RequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    /// <summary>The bytes for a decoder that hands part of them to another thread (valid until disposed).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public static async Task<RequestBody> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(limit);
        }

        // One byte over a declared length, so the read that finds the end does not double the buffer
        // (a 19 MB body took a 38 MB copy to learn that nothing followed).
        var buffer = PooledArrays.Rent<byte>((int)Math.Clamp((declared ?? (64 * 1024)) + 1, 1024, limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        throw TooLarge(limit);
                    }

                    var bigger = PooledArrays.Rent<byte>((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    PooledArrays.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    throw TooLarge(limit);
                }
            }

            return new RequestBody(buffer, length);
        }
        catch
        {
            PooledArrays.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            PooledArrays.Return(_buffer);
            _buffer = [];
        }
    }

    private static GordoException TooLarge(long limit) => new(413, $"The request body is larger than {limit} bytes; send smaller batches.");
}
