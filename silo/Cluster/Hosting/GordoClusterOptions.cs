using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Which Orleans cluster a silo or gateway belongs to and how fast a dead silo is declared (section
/// <c>Gordo:Cluster</c>). Without a Redis connection string a silo is a cluster of one (localhost clustering).
/// </summary>
public sealed class GordoClusterOptions
{
    public const string SectionName = "Gordo:Cluster";

    /// <summary>StackExchange.Redis connection string of the membership table (env <c>GORDO_REDIS</c>), e.g. <c>127.0.0.1:6379</c>.</summary>
    public string? Redis { get; set; }

    /// <summary>Orleans' service id (env <c>GORDO_SERVICE_ID</c>): one deployment of Gordo.</summary>
    public string ServiceId { get; set; } = "gordo";

    /// <summary>Orleans' cluster id (env <c>GORDO_CLUSTER_ID</c>); silos of different clusters never see each other.</summary>
    public string ClusterId { get; set; } = "default";

    /// <summary>A silo that stops answering probes is declared dead within about this long (env
    /// <c>GORDO_DEATH_TIMEOUT</c>); it sets Orleans' probe timeout and missed-probe limit.</summary>
    public TimeSpan DeathTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Path of a PKCS#12 file with this cluster's certificate (env <c>GORDO_CLUSTER_CERT</c>): silo-to-silo
    /// and gateway traffic then uses mutual TLS, and a process without the certificate can neither join nor call.</summary>
    public string? Certificate { get; set; }

    /// <summary>The certificate file's password (env <c>GORDO_CLUSTER_CERT_PASSWORD</c>).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Largest message between silos and clients (Orleans' <c>MaxMessageBodySize</c>, set alike on both).
    /// The default fits a 100 000 x 20 anomaly answer (about 130 MB of float64) several times over; a request
    /// whose frames would not fit is a 413 before it is sent (Orleans closes a connection whose message is
    /// over the limit, failing every call on it).</summary>
    public int MaxMessageBytes { get; set; } = 512 * 1024 * 1024;

    public bool IsClustered => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Orleans' probe timeout: three missed probes and a vote fit in <see cref="DeathTimeout"/>.</summary>
    public TimeSpan ProbeTimeout => DeathTimeout / 5;
}

public sealed class GordoClusterOptionsValidator : IValidateOptions<GordoClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, GordoClusterOptions options)
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

        if (options.DeathTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Gordo:Cluster:DeathTimeout must be at least 1 s (got {options.DeathTimeout}).");
        }

        if (options.MaxMessageBytes < 1024 * 1024)
        {
            failures.Add($"Gordo:Cluster:MaxMessageBytes must be at least 1 MiB (got {options.MaxMessageBytes}).");
        }

        if (options.Certificate is { Length: > 0 } path && !File.Exists(path))
        {
            failures.Add($"Gordo:Cluster:Certificate names no file ('{path}').");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
