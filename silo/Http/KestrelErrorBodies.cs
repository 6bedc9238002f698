using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Gordo.Frames.Json;
using Gordo.Grains.Store;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;

namespace Gordo.Silo.Http;

/// <summary>
/// Gives Kestrel's own rejections (a malformed request line or header, a URI or headers over the
/// limits, an unsupported HTTP version, a header timeout) the JSON body every other error has:
/// <c>{"error": "...", "revision": "..."}</c> with <c>Content-Type: application/json</c> and the
/// <c>revision</c> header. Kestrel answers those before any middleware runs and offers no hook for
/// their body, so this connection middleware recognises its bare error response on the way out (a
/// 4xx/5xx header block with <c>Content-Length: 0</c> and <c>Connection: close</c>, no content type and
/// no revision: nothing Gordo itself writes) and completes it. Everything else passes through untouched:
/// the wrapper hands Kestrel the transport's own buffers, so there is no copy.
/// </summary>
public static class KestrelErrorBodies
{
    public static ListenOptions UseJsonErrorBodies(this ListenOptions listen)
    {
        var kestrel = listen.KestrelServerOptions;
        var limits = kestrel.Limits;
        string? revision() => kestrel.ApplicationServices?.GetService<ModelStore>()?.CurrentRevision;
        listen.Use(next => async connection =>
        {
            var transport = connection.Transport;
            connection.Transport = new Pipe(transport.Input, new ErrorBodyWriter(transport.Output, limits, revision));
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                connection.Transport = transport;
            }
        });
        return listen;
    }

    /// <summary>The JSON body for one of Kestrel's error statuses.</summary>
    internal static string Message(int status, KestrelServerLimits limits) => status switch
    {
        400 => "Bad request: the request line or the headers are malformed.",
        408 => "Request timeout: the request headers did not arrive in time.",
        411 => "Length required: a request body needs Content-Length or chunked transfer encoding.",
        413 => "The request body is too large.",
        414 => $"The request line is too long: at most {limits.MaxRequestLineSize} bytes.",
        431 => $"The request headers are too large: at most {limits.MaxRequestHeadersTotalSize} bytes in {limits.MaxRequestHeaderCount} headers.",
        505 => "HTTP version not supported: use HTTP/1.1 (or HTTP/1.0).",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } reason ? reason + "." : $"HTTP {status}.",
    };

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    private sealed class ErrorBodyWriter(PipeWriter inner, KestrelServerLimits limits, Func<string?> revision) : PipeWriter
    {
        private static ReadOnlySpan<byte> StatusLine => "HTTP/1.1 "u8;

        private Memory<byte> _last;

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _last = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            if (bytes >= StatusLine.Length + 4 && bytes <= _last.Length && IsBareError(_last.Span[..bytes], out var status))
            {
                // Copy the header block out before the same buffer is written again.
                var completed = Complete(_last.Span[..bytes].ToArray(), status);
                _last = default;
                ((IBufferWriter<byte>)inner).Write(completed);
                return;
            }

            _last = default;
            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        private static bool IsBareError(ReadOnlySpan<byte> written, out int status)
        {
            status = 0;
            if (!written.StartsWith(StatusLine) || !written.EndsWith("\r\n\r\n"u8))
            {
                return false;
            }

            var code = written.Slice(StatusLine.Length, 3);
            if (code[0] is not ((byte)'4' or (byte)'5') || !char.IsAsciiDigit((char)code[1]) || !char.IsAsciiDigit((char)code[2]))
            {
                return false;
            }

            // Only one header block, and Kestrel's marks of a response it produced itself.
            if (written.IndexOf("\r\n\r\n"u8) != written.Length - 4
                || written.IndexOf("\r\nContent-Length: 0\r\n"u8) < 0
                || written.IndexOf("\r\nConnection: close\r\n"u8) < 0
                || written.IndexOf("\r\nContent-Type:"u8) >= 0
                || written.IndexOf("\r\nrevision:"u8) >= 0)
            {
                return false;
            }

            status = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
            return true;
        }

        private byte[] Complete(byte[] headers, int status)
        {
            var current = revision();
            var body = new MemoryStream();
            using (var json = new Utf8JsonWriter(body, GordoJson.WriterOptions))
            {
                json.WriteStartObject();
                json.WriteString("error", Message(status, limits));
                if (current is not null)
                {
                    json.WriteString("revision", current);
                }

                json.WriteEndObject();
            }

            var text = Encoding.ASCII.GetString(headers, 0, headers.Length - 2)
                .Replace("\r\nContent-Length: 0\r\n", $"\r\nContent-Length: {body.Length}\r\n", StringComparison.Ordinal);
            var extra = "Content-Type: application/json\r\n" + (current is null ? string.Empty : $"revision: {current}\r\n");
            return [.. Encoding.ASCII.GetBytes(text + extra + "\r\n"), .. body.ToArray()];
        }
    }
}
