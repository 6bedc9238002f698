using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>This silo: its name, the silo-to-silo endpoint it listens on and advertises, call deadlines
/// and its memory budget (section <c>Gordo:Silo</c>).</summary>
public sealed class SiloOptions
{
    public const string SectionName = "Gordo:Silo";

    /// <summary>A readable name for views and logs (env <c>GORDO_SILO_NAME</c>).</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Address other silos and gateways reach this silo at (env <c>GORDO_SILO_HOST</c>).</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Interface the silo-to-silo port binds to (env <c>GORDO_SILO_BIND</c>).</summary>
    public string BindHost { get; set; } = "0.0.0.0";

    /// <summary>The silo-to-silo (HTTP/2) port (env <c>GORDO_SILO_PORT</c>). Needed in a cluster; 0 for a lone silo.</summary>
    public int Port { get; set; }

    /// <summary>The gordo HTTP API URL of this process, if it serves one (shown in cluster views).</summary>
    public string? HttpEndpoint { get; set; }

    /// <summary>Deadline of one call to another silo, retries included.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Bytes of loaded models this silo keeps at most (env <c>GORDO_MEMORY_BUDGET</c>); 0 is unbounded.
    /// Least recently used model grains are deactivated to stay under it.</summary>
    public long MemoryBudgetBytes { get; set; }
}

public sealed class SiloOptionsValidator(IOptions<ClusterOptions> cluster, RuntimeRole role) : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (role.HostsGrains && cluster.Value.IsClustered && options.Port == 0)
        {
            failures.Add("A silo in a cluster needs its silo-to-silo port: set GORDO_SILO_PORT (Gordo:Silo:Port).");
        }

        if (!role.HostsGrains && !cluster.Value.IsClustered)
        {
            failures.Add("A gateway hosts no grains and needs a cluster to call: set GORDO_REDIS (Gordo:Cluster:Redis).");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"Gordo:Silo:Port must be between 0 and 65535 (got {options.Port}).");
        }

        if (string.IsNullOrWhiteSpace(options.AdvertisedHost))
        {
            failures.Add("Gordo:Silo:AdvertisedHost must be set.");
        }

        if (options.CallTimeout <= TimeSpan.Zero)
        {
            failures.Add("Gordo:Silo:CallTimeout must be positive.");
        }

        if (options.MemoryBudgetBytes < 0)
        {
            failures.Add("Gordo:Silo:MemoryBudgetBytes must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
