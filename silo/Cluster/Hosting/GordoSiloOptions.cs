using System.Net;
using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>This silo's name, its Orleans endpoints and the deadline of a call through the cluster
/// (section <c>Gordo:Silo</c>; the memory budget is <c>Gordo.Grains.Activations.ModelMemoryOptions</c>).</summary>
public sealed class GordoSiloOptions
{
    public const string SectionName = "Gordo:Silo";

    /// <summary>A readable name for views and logs (env <c>GORDO_SILO_NAME</c>).</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Address other silos and gateways reach this silo at (env <c>GORDO_SILO_HOST</c>).</summary>
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>Interface the silo and gateway ports listen on (env <c>GORDO_SILO_BIND</c>). Unset: the
    /// advertised address, so that the ports answer only where the cluster reaches them (loopback by default).</summary>
    public string? BindHost { get; set; }

    /// <summary>Orleans' silo-to-silo port (env <c>GORDO_SILO_PORT</c>); 0 picks a free one (the cluster
    /// finds it through the membership table).</summary>
    public int Port { get; set; }

    /// <summary>Orleans' gateway port, where gateways (Orleans clients) connect (env <c>GORDO_GATEWAY_PORT</c>);
    /// 0 picks a free one in a cluster, and a lone silo opens none.</summary>
    public int GatewayPort { get; set; }

    /// <summary>The gordo HTTP API URL of this process, if it serves one (shown in cluster views).</summary>
    public string? HttpEndpoint { get; set; }

    /// <summary>Deadline of one model call through the cluster, retries on a lost owner included.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>End the process when Orleans meets a fatal error (the cluster declared this silo dead), as
    /// Orleans does; off, only this host stops (for silos hosted inside another process, such as tests).</summary>
    public bool ExitOnFatalError { get; set; } = true;

    public IPAddress AdvertisedAddress => IPAddress.TryParse(AdvertisedHost, out var ip) ? ip : Dns.GetHostAddresses(AdvertisedHost)[0];

    public IPAddress BindAddress => BindHost is { Length: > 0 } bind ? IPAddress.Parse(bind) : AdvertisedAddress;
}

public sealed class GordoSiloOptionsValidator(IOptions<GordoClusterOptions> cluster, GordoRole role) : IValidateOptions<GordoSiloOptions>
{
    public ValidateOptionsResult Validate(string? name, GordoSiloOptions options)
    {
        var failures = new List<string>();
        if (!role.HostsGrains && !cluster.Value.IsClustered)
        {
            failures.Add("A gateway hosts no grains and needs a cluster to call: set GORDO_REDIS (Gordo:Cluster:Redis).");
        }

        if (options.Port is < 0 or > 65535 || options.GatewayPort is < 0 or > 65535)
        {
            failures.Add($"Gordo:Silo:Port and GatewayPort must be between 0 and 65535 (got {options.Port} and {options.GatewayPort}).");
        }

        if (string.IsNullOrWhiteSpace(options.AdvertisedHost))
        {
            failures.Add("Gordo:Silo:AdvertisedHost must be set.");
        }

        if (options.BindHost is { Length: > 0 } bind && !IPAddress.TryParse(bind, out _))
        {
            failures.Add($"Gordo:Silo:BindHost must be an IP address (got '{bind}').");
        }

        if (options.CallTimeout <= TimeSpan.Zero)
        {
            failures.Add("Gordo:Silo:CallTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
