using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Gordo.Runtime;

/// <summary>
/// Calls grains and control operations on other silos: HTTP/2 (cleartext, prior knowledge) to the
/// silo port, one multiplexed connection per silo, the request encoded once with the method's codec.
/// A silo that cannot be reached, is shutting down, or is no longer the grain's owner raises
/// <see cref="SiloUnavailableException"/> (the router then retries on the current owner); an error
/// thrown by the remote grain is re-raised as <see cref="RemoteGrainException"/>.
/// </summary>
public sealed partial class SiloTransportClient : IDisposable
{
    private static readonly MediaTypeHeaderValue s_contentType = new(TransportHeaders.ContentType);

    private readonly HttpClient _http;
    private readonly ILogger<SiloTransportClient> _logger;

    public SiloTransportClient(ILogger<SiloTransportClient> logger)
    {
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(15),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
        })
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Sends an encoded grain call to <paramref name="silo"/> and returns the encoded response
    /// (pooled: dispose it after decoding).</summary>
    public async Task<PooledBufferWriter> CallAsync(SiloAddress silo, GrainId grainId, string method, ReadOnlyMemory<byte> request,
        TimeSpan timeout, string? requestId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Url(silo, TransportHeaders.CallPath))
        {
            Content = new ReadOnlyMemoryContent(request),
        };
        message.Content.Headers.ContentType = s_contentType;
        message.Headers.Add(TransportHeaders.Grain, grainId.ToString());
        message.Headers.Add(TransportHeaders.Method, method);
        return await SendAsync(silo, message, timeout, requestId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a control operation (a broadcast target) on <paramref name="silo"/>.</summary>
    public async Task<PooledBufferWriter> ControlAsync(SiloAddress silo, string operation, ReadOnlyMemory<byte> payload,
        TimeSpan timeout, string? requestId, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Url(silo, TransportHeaders.ControlPath + operation))
        {
            Content = new ReadOnlyMemoryContent(payload),
        };
        message.Content.Headers.ContentType = s_contentType;
        return await SendAsync(silo, message, timeout, requestId, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private static Uri Url(SiloAddress silo, string path) => new($"http://{silo.Endpoint}{path}");

    private async Task<PooledBufferWriter> SendAsync(SiloAddress silo, HttpRequestMessage message, TimeSpan timeout, string? requestId,
        CancellationToken cancellationToken)
    {
        // HttpClient's default version applies only to its helper methods: say it on every message.
        message.Version = HttpVersion.Version20;
        message.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        message.Headers.Add(TransportHeaders.Target, silo.ToString());
        message.Headers.Add(TransportHeaders.Timeout, ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (requestId is not null)
        {
            message.Headers.Add(TransportHeaders.RequestId, requestId);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(_logger, silo.ToString(), ex.Message);
            throw new SiloUnavailableException(silo, ex.Message, ex);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Silo {silo} did not answer within {timeout.TotalSeconds:F1} s.");
        }

        using (response)
        {
            if (!response.Headers.Contains(TransportHeaders.Result))
            {
                // Something else listens at this address now (a port or pod IP reused after the silo died):
                // to the caller that is an unavailable silo, and the call goes on to the next view's owner.
                throw new SiloUnavailableException(silo, $"the answer ({(int)response.StatusCode}) did not come from a Gordo silo");
            }

            if (response.StatusCode is HttpStatusCode.MisdirectedRequest or HttpStatusCode.ServiceUnavailable)
            {
                throw new SiloUnavailableException(silo, $"it answered {(int)response.StatusCode} ({await ReasonAsync(response).ConfigureAwait(false)})");
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Silo {silo} answered {(int)response.StatusCode}: {await ReasonAsync(response).ConfigureAwait(false)}");
            }

            var body = new PooledBufferWriter((int)Math.Clamp(response.Content.Headers.ContentLength ?? 4096, 256, 64 * 1024 * 1024));
            try
            {
                await using (var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false))
                {
                    while (true)
                    {
                        var read = await stream.ReadAsync(body.GetMemory(64 * 1024), deadline.Token).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        body.Advance(read);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                body.Dispose();
                throw new SiloUnavailableException(silo, $"the response broke off: {ex.Message}", ex);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                body.Dispose();
                throw new TimeoutException($"Silo {silo} did not finish its answer within {timeout.TotalSeconds:F1} s.");
            }
            catch
            {
                body.Dispose();
                throw;
            }

            if (response.Headers.TryGetValues(TransportHeaders.Result, out var result) && result.FirstOrDefault() == "error")
            {
                using (body)
                {
                    throw ErrorEnvelope.Read(body.WrittenMemory.Span);
                }
            }

            return body;
        }
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return text.Length > 200 ? text[..200] : text;
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "Silo {Silo} is unreachable: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string silo, string reason);
}
