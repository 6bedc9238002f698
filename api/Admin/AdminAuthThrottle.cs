using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using Gordo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Admin;

/// <summary>
/// Makes admin key guessing slow and quiet: each client address may fail authentication
/// <see cref="ApiOptions.AdminFailuresPerMinute"/> times a minute (a fixed-window limiter per address
/// from System.Threading.RateLimiting, as ASP.NET Core's rate limiting uses); after that every admin
/// request from it is a 429 with <c>Retry-After</c> until the window ends, while other addresses are
/// unaffected. Refusals are logged once per address per minute, then as one summary line with the count.
/// </summary>
public sealed partial class AdminAuthThrottle : IDisposable
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failures;
    private readonly ConcurrentDictionary<string, RefusalWindow> _windows = new(StringComparer.Ordinal);
    private readonly ILogger<AdminAuthThrottle> _logger;
    private readonly TimeProvider _time;
    private readonly ITimer _flush;

    public AdminAuthThrottle(IOptions<ApiOptions> options, ILogger<AdminAuthThrottle> logger, TimeProvider? time = null)
    {
        _logger = logger;
        _time = time ?? TimeProvider.System;
        var limit = options.Value.AdminFailuresPerMinute;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = s_window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        _flush = _time.CreateTimer(_ => Flush(force: false), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    /// <summary>When this address has used up its failures: how long until it may try again.</summary>
    public TimeSpan? Blocked(string address)
    {
        using var lease = _failures.AttemptAcquire(address, 0);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Counts a failed authentication; returns the wait when this one used up the last permit.</summary>
    public TimeSpan? Fail(string address)
    {
        using var lease = _failures.AttemptAcquire(address, 1);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    /// <summary>Logs a refusal: the first of an address's minute in full, the rest as one summary when the minute ends.</summary>
    public void LogRefusal(string method, string path, string address, string reason)
    {
        var now = _time.GetUtcNow();
        var window = _windows.GetOrAdd(address, static (_, now) => new RefusalWindow(now), now);
        if (now - window.Started >= s_window)
        {
            var fresh = new RefusalWindow(now);
            if (_windows.TryUpdate(address, fresh, window))
            {
                Summarise(address, window);
            }

            window = _windows.GetOrAdd(address, fresh);
        }

        if (Interlocked.Increment(ref window.Count) == 1)
        {
            LogRefused(_logger, method, path, address, reason);
        }
        else
        {
            window.LastReason = reason;
        }
    }

    /// <summary>Writes the summaries of minutes that have ended (all of them when <paramref name="force"/>).</summary>
    internal void Flush(bool force)
    {
        var now = _time.GetUtcNow();
        foreach (var (address, window) in _windows)
        {
            if ((force || now - window.Started >= s_window) && _windows.TryRemove(new KeyValuePair<string, RefusalWindow>(address, window)))
            {
                Summarise(address, window);
            }
        }
    }

    public void Dispose()
    {
        _flush.Dispose();
        Flush(force: true);
        _failures.Dispose();
    }

    private void Summarise(string address, RefusalWindow window)
    {
        var more = Volatile.Read(ref window.Count) - 1;
        if (more > 0)
        {
            LogSummary(_logger, more, address, (int)s_window.TotalSeconds, window.LastReason ?? "refused");
        }
    }

    private TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) && retry > TimeSpan.Zero ? retry : s_window;

    internal static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: {Reason} (further refusals from this address are summarised each minute)")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remote, string reason);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Refused {Count} more admin requests from {Remote} in {Seconds} s (last: {Reason})")]
    private static partial void LogSummary(ILogger logger, int count, string remote, int seconds, string reason);

    private sealed class RefusalWindow(DateTimeOffset started)
    {
        public int Count;

        public string? LastReason;

        public DateTimeOffset Started { get; } = started;
    }
}
