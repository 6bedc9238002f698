using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// A steady stream of prediction requests through one entry (four workers, round robin over the
/// targets) while a test breaks something: counts the answers, keeps every failure, and the slowest wait.
/// </summary>
public sealed class RequestStream
{
    private readonly ConcurrentBag<string> _failures = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _slowestLock = new();
    private readonly List<Task> _workers;
    private TimeSpan _slowest;
    private int _ok;

    private RequestStream(GordoServerHost entry, IReadOnlyDictionary<string, string> payloads, int workers)
    {
        var targets = payloads.Keys.ToArray();
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var i = w; !_stop.IsCancellationRequested; i++)
            {
                var target = targets[i % targets.Length];
                var watch = Stopwatch.StartNew();
                try
                {
                    var response = await entry.PostJsonAsync($"/gordo/v0/p/{target}/prediction", payloads[target]);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref _ok);
                    }
                    else
                    {
                        _failures.Add($"{target}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    _failures.Add($"{target}: {ex.GetType().Name} {ex.Message}");
                }

                lock (_slowestLock)
                {
                    _slowest = watch.Elapsed > _slowest ? watch.Elapsed : _slowest;
                }
            }
        })).ToList()];
    }

    /// <summary>Requests answered 200 so far.</summary>
    public int Ok => Volatile.Read(ref _ok);

    public IReadOnlyCollection<string> Failures => _failures;

    public TimeSpan Slowest
    {
        get
        {
            lock (_slowestLock)
            {
                return _slowest;
            }
        }
    }

    public static RequestStream Start(GordoServerHost entry, IReadOnlyDictionary<string, string> payloads, int workers = 4) => new(entry, payloads, workers);

    /// <summary>Stops the workers once their requests in flight are answered.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }
}
