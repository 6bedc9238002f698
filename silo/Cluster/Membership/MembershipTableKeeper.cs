using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Keeps Orleans' membership table through a Redis that comes back empty (restarted without its data).
/// Orleans never writes a running silo's row again (its I-am-alive update fails on a missing row), so
/// without this the silos keep serving but no gateway or new silo can find them. Each silo keeps the last
/// table it read, as Redis holds it (raw hash fields, no knowledge of the row format), and when its own
/// row is gone while it is active, writes back the rows the table lacks in one transaction, at a version
/// above both, so every silo takes the merged view as newer. The rows come back with the statuses they
/// had: no silo is declared dead, no grain moves, no model reloads.
/// </summary>
public sealed partial class MembershipTableKeeper(
    IOptions<GordoClusterOptions> options,
    ILocalSiloDetails local,
    IClusterMembershipService membership,
    ILogger<MembershipTableKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan s_period = TimeSpan.FromMilliseconds(250);

    /// <summary>The table's version field in Orleans' Redis membership hash.</summary>
    private const string VersionField = "Version";

    private readonly SemaphoreSlim _checking = new(1, 1);
    private HashEntry[]? _lastGood;
    private ConnectionMultiplexer? _redis;

    private RedisKey Key => $"{options.Value.ServiceId}/members/{options.Value.ClusterId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsClustered)
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(options.Value.Redis!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.ClientName = $"gordo-membership-keeper-{local.Name}";
        _redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);

        // A Redis that restarted is seen the moment the connection comes back, before Orleans reads it.
        _redis.ConnectionRestored += (_, _) => _ = CheckAsync(stoppingToken);
        using var timer = new PeriodicTimer(s_period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await _redis.CloseAsync().ConfigureAwait(false);
            _redis.Dispose();
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        if (_redis is not { } redis || !await _checking.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            var database = redis.GetDatabase();
            var table = await database.HashGetAllAsync(Key).ConfigureAwait(false);
            var self = local.SiloAddress.ToString();
            if (table.Any(e => e.Name == self))
            {
                _lastGood = table;
                return;
            }

            if (_lastGood is { } copy && membership.CurrentSnapshot.GetSiloStatus(local.SiloAddress) == SiloStatus.Active)
            {
                // The table lost this silo's row (Redis restarted empty; a silo that started meanwhile may
                // have begun a new table). Put back every row it lacks, and a version above both, so that
                // every silo takes the merged view as newer and sees all members again.
                var present = table.Select(e => e.Name).ToHashSet();
                var missing = copy.Where(e => e.Name != VersionField && !present.Contains(e.Name)).ToList();
                var version = Math.Max(Version(table), Version(copy)) + 1;
                var restore = database.CreateTransaction();
                restore.AddCondition(Condition.HashLengthEqual(Key, table.Length));
                _ = restore.HashSetAsync(Key, [.. missing, new HashEntry(VersionField, version)]);
                if (await restore.ExecuteAsync().ConfigureAwait(false))
                {
                    LogRestored(logger, missing.Count, Key.ToString(), version);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is away: Orleans keeps its view meanwhile, and the next check tries again.
        }
        finally
        {
            _checking.Release();
        }
    }

    private static long Version(HashEntry[] table) =>
        table.FirstOrDefault(e => e.Name == VersionField).Value is { HasValue: true } value && long.TryParse(value.ToString(), out var version) ? version : 0;

    [LoggerMessage(EventId = 1901, Level = LogLevel.Warning, Message = "The membership table lost this silo's row (Redis lost its data); put back {Rows} rows to {Key} at version {Version}")]
    private static partial void LogRestored(ILogger logger, int rows, string key, long version);
}
