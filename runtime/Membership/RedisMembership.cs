using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gordo.Runtime;

/// <summary>
/// Cluster membership kept in Redis, under keys scoped by service id and cluster id
/// (<c>gordo:&lt;service&gt;:&lt;cluster&gt;:members|alive|version|changes</c>):
/// <list type="bullet">
/// <item>each silo writes its row (address, name, status, start time, HTTP endpoint) when it joins and
/// an I-am-alive stamp every <see cref="ClusterOptions.EffectiveIAmAlivePeriod"/>;</item>
/// <item>every member re-reads the table every <see cref="ClusterOptions.EffectiveRefreshPeriod"/>, and at once
/// when another member publishes a change; the same read declares dead every active silo whose stamp is
/// older than <see cref="ClusterOptions.DeathTimeout"/>;</item>
/// <item>a silo that stops cleanly marks itself shutting down, then removes its row.</item>
/// </list>
/// Every step is one Lua script, atomic in Redis and stamped with Redis's own clock, so hosts need not
/// agree on the time. When Redis is unreachable, members keep serving with their last view; when it is
/// back (even empty), silos re-register on their next heartbeat.
/// </summary>
public sealed partial class RedisMembership : IClusterMembership, IAsyncDisposable
{
    // KEYS: members, alive, version, changes. ARGV: silo, row.
    private const string JoinScript = """
        local t = redis.call('TIME')
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[2], ARGV[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
        redis.call('INCR', KEYS[3])
        redis.call('PUBLISH', KEYS[4], ARGV[1])
        return 1
        """;

    // Returns 0 (alive), 1 (row was missing, e.g. Redis restarted empty: re-registered), 2 (declared dead).
    private const string HeartbeatScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local row = redis.call('HGET', KEYS[1], ARGV[1])
        if row and cjson.decode(row).status == 'Dead' then return 2 end
        redis.call('HSET', KEYS[2], ARGV[1], now)
        if not row then
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
          redis.call('INCR', KEYS[3])
          redis.call('PUBLISH', KEYS[4], ARGV[1])
          return 1
        end
        return 0
        """;

    // ARGV: death timeout (ms), forget-after (ms). Returns {now, rows...}.
    private const string RefreshScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rows = redis.call('HGETALL', KEYS[1])
        local changed = false
        local result = {now}
        for i = 1, #rows, 2 do
          local silo = rows[i]
          local row = cjson.decode(rows[i + 1])
          local alive = tonumber(redis.call('HGET', KEYS[2], silo) or '0')
          if (row.status == 'Active' or row.status == 'Joining' or row.status == 'ShuttingDown') and now - alive > tonumber(ARGV[1]) then
            row.status = 'Dead'
            rows[i + 1] = cjson.encode(row)
            redis.call('HSET', KEYS[1], silo, rows[i + 1])
            changed = true
          end
          if row.status == 'Dead' and now - alive > tonumber(ARGV[2]) then
            redis.call('HDEL', KEYS[1], silo)
            redis.call('HDEL', KEYS[2], silo)
          else
            table.insert(result, silo)
            table.insert(result, rows[i + 1])
          end
        end
        if changed then
          redis.call('INCR', KEYS[3])
          redis.call('PUBLISH', KEYS[4], 'dead')
        end
        return result
        """;

    // ARGV: silo, row with the new status.
    private const string SetStatusScript = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('INCR', KEYS[3])
        redis.call('PUBLISH', KEYS[4], ARGV[1])
        return 1
        """;

    private const string RemoveScript = """
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('INCR', KEYS[3])
        redis.call('PUBLISH', KEYS[4], ARGV[1])
        return 1
        """;

    private readonly ClusterOptions _cluster;
    private readonly SiloOptions _silo;
    private readonly RedisConnection _connection;
    private readonly ILogger<RedisMembership> _logger;
    private readonly RedisKey[] _keys;
    private readonly RedisChannel _channel;
    private readonly ViewChangeSignal _signal = new();
    private readonly SemaphoreSlim _refreshRequested = new(0, 1);
    private readonly long _startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private ConnectionMultiplexer? _redis;
    private CancellationTokenSource? _loops;
    private Task _heartbeatLoop = Task.CompletedTask;
    private Task _refreshLoop = Task.CompletedTask;
    private volatile MembershipView _view = MembershipView.Empty;
    private SiloStatus _status = SiloStatus.Joining;
    private int _redisDown;

    public RedisMembership(RedisConnection connection, IOptions<ClusterOptions> cluster, IOptions<SiloOptions> silo, bool isSilo, ILogger<RedisMembership> logger)
    {
        _connection = connection;
        _cluster = cluster.Value;
        _silo = silo.Value;
        _logger = logger;
        var prefix = connection.KeyPrefix;
        _keys = [prefix + "members", prefix + "alive", prefix + "version", prefix + "changes"];
        _channel = new RedisChannel(prefix + "changes", RedisChannel.PatternMode.Literal);
        LocalSilo = isSilo ? new SiloAddress(_silo.AdvertisedHost, _silo.Port, _startedAt) : null;
    }

    public SiloAddress? LocalSilo { get; }

    public MembershipView CurrentView => _view;

    /// <summary>The membership table's Redis key prefix.</summary>
    public string KeyPrefix => ((string)_keys[0]!)[..^"members".Length];

    public event Action<MembershipView>? ViewChanged;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _redis = await _connection.GetAsync().ConfigureAwait(false);
        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, _) => RequestRefresh()).ConfigureAwait(false);
        }
        catch (RedisException ex)
        {
            MarkRedisDown(ex);
        }

        if (LocalSilo is not null)
        {
            _status = SiloStatus.Active;
            await TryRunAsync(JoinScript, RowFor(SiloStatus.Active)).ConfigureAwait(false);
            LogJoined(_logger, LocalSilo.ToString(), KeyPrefix);
        }

        await RefreshAsync().ConfigureAwait(false);
        _loops = new CancellationTokenSource();
        _refreshLoop = RefreshLoopAsync(_loops.Token);
        if (LocalSilo is not null)
        {
            _heartbeatLoop = HeartbeatLoopAsync(_loops.Token);
        }
    }

    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        if (LocalSilo is null)
        {
            return;
        }

        _status = SiloStatus.ShuttingDown;
        await TryRunAsync(SetStatusScript, RowFor(SiloStatus.ShuttingDown)).ConfigureAwait(false);
        await RefreshAsync().ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loops is not null)
        {
            await _loops.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_heartbeatLoop, _refreshLoop).ConfigureAwait(false);
        }

        if (LocalSilo is not null)
        {
            _status = SiloStatus.Dead;
            await TryRunAsync(RemoveScript, RowFor(SiloStatus.Dead)).ConfigureAwait(false);
            LogLeft(_logger, LocalSilo.ToString());
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    public void RequestRefresh()
    {
        if (_refreshRequested.CurrentCount == 0)
        {
            try
            {
                _refreshRequested.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    public Task<bool> WaitForViewChangeAsync(long version, TimeSpan timeout, CancellationToken cancellationToken) =>
        _signal.WaitAsync(() => _view.Version, version, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _loops?.Dispose();
        _loops = null;
        if (_redis is { } redis)
        {
            _redis = null;
            try
            {
                await redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
            }
            catch (RedisException)
            {
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_cluster.EffectiveIAmAlivePeriod, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_status != SiloStatus.Active)
            {
                continue;
            }

            var result = await TryRunAsync(HeartbeatScript, RowFor(SiloStatus.Active)).ConfigureAwait(false);
            if (result == 1)
            {
                LogReregistered(_logger, LocalSilo!.ToString());
                RequestRefresh();
            }
            else if (result == 2)
            {
                // Declared dead while unreachable: our grains have moved. The refresh drops us from the
                // view (so our activations go), then we join afresh.
                LogDeclaredDead(_logger, LocalSilo!.ToString());
                await RefreshAsync().ConfigureAwait(false);
                await TryRunAsync(JoinScript, RowFor(SiloStatus.Active)).ConfigureAwait(false);
                RequestRefresh();
            }
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _refreshRequested.WaitAsync(_cluster.EffectiveRefreshPeriod, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RefreshAsync().ConfigureAwait(false);
        }
    }

    private async Task RefreshAsync()
    {
        RedisResult[] result;
        try
        {
            var redis = _redis ?? throw new ObjectDisposedException(nameof(RedisMembership));
            var reply = await redis.GetDatabase().ScriptEvaluateAsync(RefreshScript, _keys,
                [(long)_cluster.DeathTimeout.TotalMilliseconds, (long)(_cluster.DeathTimeout.TotalMilliseconds * 30)]).ConfigureAwait(false);
            result = (RedisResult[])reply!;
            MarkRedisUp();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            MarkRedisDown(ex);
            return;
        }

        var members = ImmutableArray.CreateBuilder<ClusterMember>();
        for (var i = 1; i + 1 < result.Length; i += 2)
        {
            if (!SiloAddress.TryParse((string?)result[i], out var address))
            {
                continue;
            }

            var row = JsonSerializer.Deserialize((string)result[i + 1]!, MembershipJsonContext.Default.MembershipRow);
            if (row is null || !Enum.TryParse<SiloStatus>(row.Status, out var status))
            {
                continue;
            }

            members.Add(new ClusterMember(address!, status, DateTimeOffset.FromUnixTimeMilliseconds(row.StartedAt), row.Name, row.HttpEndpoint));
        }

        members.Sort((a, b) => string.CompareOrdinal(a.Address.ToString(), b.Address.ToString()));
        var current = _view;
        if (current.Members.SequenceEqual(members))
        {
            return;
        }

        var view = new MembershipView(current.Version + 1, members.ToImmutable());
        _view = view;
        LogViewChanged(_logger, view.ToString());
        _signal.Publish();
        ViewChanged?.Invoke(view);
    }

    private async Task<long> TryRunAsync(string script, string row)
    {
        try
        {
            var redis = _redis ?? throw new ObjectDisposedException(nameof(RedisMembership));
            var result = await redis.GetDatabase().ScriptEvaluateAsync(script, _keys, [LocalSilo!.ToString(), row]).ConfigureAwait(false);
            MarkRedisUp();
            return (long)result;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            MarkRedisDown(ex);
            return -1;
        }
    }

    private string RowFor(SiloStatus status) => JsonSerializer.Serialize(new MembershipRow
    {
        Name = _silo.Name,
        Status = status.ToString(),
        StartedAt = _startedAt,
        HttpEndpoint = _silo.HttpEndpoint,
    }, MembershipJsonContext.Default.MembershipRow);

    private void MarkRedisDown(Exception exception)
    {
        if (Interlocked.Exchange(ref _redisDown, 1) == 0)
        {
            LogRedisDown(_logger, exception.Message);
        }
    }

    private void MarkRedisUp()
    {
        if (Interlocked.Exchange(ref _redisDown, 0) == 1)
        {
            LogRedisUp(_logger);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Silo {Silo} joined the membership table {Prefix}")]
    private static partial void LogJoined(ILogger logger, string silo, string prefix);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Silo {Silo} left the cluster")]
    private static partial void LogLeft(ILogger logger, string silo);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Membership view {View}")]
    private static partial void LogViewChanged(ILogger logger, string view);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Redis is unreachable ({Reason}); serving with the last membership view")]
    private static partial void LogRedisDown(ILogger logger, string reason);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "Redis is reachable again")]
    private static partial void LogRedisUp(ILogger logger);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Warning, Message = "Silo {Silo} was missing from the membership table (Redis restarted?) and registered again")]
    private static partial void LogReregistered(ILogger logger, string silo);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning, Message = "Silo {Silo} was declared dead by the cluster; rejoining")]
    private static partial void LogDeclaredDead(ILogger logger, string silo);
}
