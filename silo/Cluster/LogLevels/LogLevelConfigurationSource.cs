using Microsoft.Extensions.Configuration;

namespace Gordo.Silo.Cluster;

/// <summary>
/// A configuration source holding <c>Logging:LogLevel:&lt;category&gt;</c> keys set at runtime. The
/// logging system already watches configuration, so changing a key and signalling a reload changes
/// the effective level of running loggers: no restart, no custom filter.
/// </summary>
public sealed class LogLevelConfigurationSource : IConfigurationSource
{
    public LogLevelConfigurationProvider Provider { get; } = new();

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
}

public sealed class LogLevelConfigurationProvider : ConfigurationProvider
{
    public void SetLevels(IEnumerable<KeyValuePair<string, string>> levels)
    {
        foreach (var (category, level) in levels)
        {
            Data[$"Logging:LogLevel:{category}"] = level;
        }

        OnReload();
    }
}
