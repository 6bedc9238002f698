using System.Buffers;
using System.IO.Pipelines;

namespace Gordo.Api.Http;

/// <summary>
/// Streams a large answer to the socket while it is encoded, instead of building it whole in memory:
/// the (synchronous) encoder runs on a thread of its own and writes into the response's pipe, which is
/// flushed every <see cref="FlushBytes"/>; a slow client's back-pressure makes the encoder wait, so
/// what is held is a few buffers, not the answer. The answer is chunked (no Content-Length).
/// </summary>
internal static class StreamedResponse
{
    private const int FlushBytes = 256 * 1024;

    public static async Task WriteAsync(HttpContext context, string contentType, Action<IBufferWriter<byte>> encode)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        await response.StartAsync(aborted).ConfigureAwait(false);
        var writer = new FlushingWriter(response.BodyWriter, aborted);
        try
        {
            await Task.Factory.StartNew(() => encode(writer), aborted, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            await response.BodyWriter.FlushAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The client went away mid-answer; an encoder in native code (Parquet) reports that as its
            // own I/O error rather than a cancellation. Nobody is left to answer.
        }
    }

    /// <summary>The response pipe, flushed (and waited on, blocking the encoder's own thread) every <see cref="FlushBytes"/>.</summary>
    private sealed class FlushingWriter(PipeWriter pipe, CancellationToken aborted) : IBufferWriter<byte>
    {
        private long _unflushed;

        public Memory<byte> GetMemory(int sizeHint = 0) => pipe.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => pipe.GetSpan(sizeHint);

        public void Advance(int count)
        {
            pipe.Advance(count);
            _unflushed += count;
            if (_unflushed < FlushBytes)
            {
                return;
            }

            _unflushed = 0;
            var flush = pipe.FlushAsync(aborted);
            var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
            if (result.IsCanceled || result.IsCompleted)
            {
                // The client went away: stop encoding for nobody.
                throw new OperationCanceledException("The client closed the connection during a streamed answer.", aborted);
            }
        }
    }
}
