using Gordo.GrainInterfaces;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Gordo.Api.Http;

/// <summary>
/// The parts of a <c>multipart/form-data</c> body (gordo clients send Parquet files <c>X</c> and <c>y</c>),
/// read into pooled buffers under the request size limit. The first part of each name wins, as with
/// Flask's <c>request.files</c>. Disposing returns the buffers.
/// </summary>
public sealed class MultipartFiles : IDisposable
{
    private readonly Dictionary<string, (byte[] Buffer, int Length)> _parts = new(StringComparer.Ordinal);

    private MultipartFiles()
    {
    }

    /// <summary>Bytes of every part kept.</summary>
    public long TotalBytes => _parts.Values.Sum(p => (long)p.Length);

    public ReadOnlyMemory<byte>? this[string name] => _parts.TryGetValue(name, out var part) ? part.Buffer.AsMemory(0, part.Length) : (ReadOnlyMemory<byte>?)null;

    public static async Task<MultipartFiles> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new InvalidFrameException("The multipart body has no boundary in its Content-Type.", "error");
        }

        if (request.ContentLength > limit)
        {
            throw new GordoException(413, $"The request body is larger than {limit} bytes; send smaller batches.");
        }

        var files = new MultipartFiles();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = limit, HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
            long total = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                    : null;
                var (buffer, length) = await ReadSectionAsync(section.Body, limit - total, limit, cancellationToken).ConfigureAwait(false);
                total += length;
                if (name is null || !files._parts.TryAdd(name, (buffer, length)))
                {
                    PooledArrays.Return(buffer);
                }
            }

            return files;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            files.Dispose();
            throw new InvalidFrameException($"The multipart body is malformed: {ex.Message}", "error");
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var (buffer, _) in _parts.Values)
        {
            PooledArrays.Return(buffer);
        }

        _parts.Clear();
    }

    private static async Task<(byte[] Buffer, int Length)> ReadSectionAsync(Stream body, long remaining, long limit, CancellationToken cancellationToken)
    {
        var buffer = PooledArrays.Rent<byte>(64 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = PooledArrays.Rent<byte>((int)Math.Min((long)buffer.Length * 2, Math.Max(remaining, 0) + 1));
                    if (bigger.Length <= length)
                    {
                        PooledArrays.Return(bigger);
                        throw TooLarge(limit);
                    }

                    buffer.AsSpan(0, length).CopyTo(bigger);
                    PooledArrays.Return(buffer);
                    buffer = bigger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > remaining)
                {
                    throw TooLarge(limit);
                }
            }
        }
        catch
        {
            PooledArrays.Return(buffer);
            throw;
        }
    }

    private static GordoException TooLarge(long limit) => new(413, $"The request body is larger than {limit} bytes; send smaller batches.");
}
