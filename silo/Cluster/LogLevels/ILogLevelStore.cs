using Microsoft.Extensions.Logging;

namespace Gordo.Silo.Cluster;

/// <summary>The log levels operators asked for, which every process of the cluster applies when it starts.</summary>
public interface ILogLevelStore
{
    Task SetAsync(string category, LogLevel level);

    Task<IReadOnlyDictionary<string, LogLevel>> GetAllAsync();
}
