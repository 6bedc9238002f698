using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>
/// Which cluster a silo or gateway belongs to, and how membership is kept (section <c>Gordo:Cluster</c>).
/// Without a Redis connection string a silo is a cluster of one (in-process membership).
/// </summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Gordo:Cluster";

    /// <summary>StackExchange.Redis connection string of the membership table (env <c>GORDO_REDIS</c>), e.g. <c>127.0.0.1:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>The service (env <c>GORDO_SERVICE_ID</c>): one deployment of Gordo.</summary>
    public string ServiceId { get; set; } = "gordo";

    /// <summary>The cluster within the service (env <c>GORDO_CLUSTER_ID</c>); silos of different clusters never see each other.</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>How often a silo writes its I-am-alive; by default a fifth of <see cref="DeathTimeout"/>.</summary>
    public TimeSpan? IAmAlivePeriod { get; set; }

    /// <summary>How often the view is re-read (changes also arrive at once over pub/sub); by default a fifth of <see cref="DeathTimeout"/>.</summary>
    public TimeSpan? RefreshPeriod { get; set; }

    public TimeSpan EffectiveIAmAlivePeriod => IAmAlivePeriod ?? DeathTimeout / 5;

    public TimeSpan EffectiveRefreshPeriod => RefreshPeriod ?? DeathTimeout / 5;

    /// <summary>A silo whose I-am-alive is older than this is declared dead (env <c>GORDO_DEATH_TIMEOUT</c>).</summary>
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsClustered => !string.IsNullOrWhiteSpace(Redis);
}

public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServiceId) || options.ServiceId.Contains(':', StringComparison.Ordinal))
        {
            failures.Add($"Gordo:Cluster:ServiceId must be non-empty and without ':' (got '{options.ServiceId}').");
        }

        if (string.IsNullOrWhiteSpace(options.ClusterId) || options.ClusterId.Contains(':', StringComparison.Ordinal))
        {
            failures.Add($"Gordo:Cluster:ClusterId must be non-empty and without ':' (got '{options.ClusterId}').");
        }

        if (options.DeathTimeout < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"Gordo:Cluster:DeathTimeout must be at least 100 ms (got {options.DeathTimeout}).");
        }

        if (options.EffectiveIAmAlivePeriod <= TimeSpan.Zero || options.EffectiveRefreshPeriod <= TimeSpan.Zero)
        {
            failures.Add("Gordo:Cluster:IAmAlivePeriod and RefreshPeriod must be positive.");
        }

        if (options.DeathTimeout < options.EffectiveIAmAlivePeriod * 2)
        {
            failures.Add($"Gordo:Cluster:DeathTimeout ({options.DeathTimeout}) must be at least twice IAmAlivePeriod ({options.EffectiveIAmAlivePeriod}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
