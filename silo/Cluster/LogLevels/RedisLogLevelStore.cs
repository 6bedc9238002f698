using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Gordo.Silo.Cluster;

/// <summary>Desired log levels in the cluster's Redis (hash <c>gordo:&lt;service&gt;:&lt;cluster&gt;:log-levels</c>),
/// so that a silo started later comes up with them.</summary>
public sealed class RedisLogLevelStore(RedisConnection redis) : ILogLevelStore
{
    private RedisKey Key => redis.KeyPrefix + "log-levels";

    public async Task SetAsync(string category, LogLevel level)
    {
        var connection = await redis.GetAsync().ConfigureAwait(false);
        await connection.GetDatabase().HashSetAsync(Key, category, level.ToString()).ConfigureAwait(false);
    }

    public async Task<IReadOnlyDictionary<string, LogLevel>> GetAllAsync()
    {
        var connection = await redis.GetAsync().ConfigureAwait(false);
        var entries = await connection.GetDatabase().HashGetAllAsync(Key).ConfigureAwait(false);
        var levels = new Dictionary<string, LogLevel>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (LogLevels.IsValidCategory(entry.Name) && LogLevels.TryParseLevel(entry.Value, out var level))
            {
                levels[entry.Name!] = level;
            }
        }

        return levels;
    }
}
