using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gordo.Silo.Cluster;

/// <summary>Desired log levels of a single process (no cluster to share them with).</summary>
public sealed class InMemoryLogLevelStore : ILogLevelStore
{
    private readonly ConcurrentDictionary<string, LogLevel> _levels = new(StringComparer.Ordinal);

    public Task SetAsync(string category, LogLevel level)
    {
        _levels[category] = level;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, LogLevel>> GetAllAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, LogLevel>>(new Dictionary<string, LogLevel>(_levels));
}
