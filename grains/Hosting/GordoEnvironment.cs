using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Gordo.Grains.Hosting;

/// <summary>
/// Maps the environment variables operators know from gordo (and Gordo's own short ones) onto
/// configuration keys, so that <c>MODEL_COLLECTION_DIR=...</c> works as well as
/// <c>Gordo__Models__CollectionDirectory=...</c>.
/// </summary>
public static class GordoEnvironment
{
    private static readonly (string Variable, string Key)[] s_plain =
    [
        ("MODEL_COLLECTION_DIR", "Gordo:Models:CollectionDirectory"),
        ("EXPECTED_MODELS", "Gordo:Api:ExpectedModels"),
        ("GORDO_SERVER_HOST", "Gordo:Api:Host"),
        ("GORDO_SERVER_PORT", "Gordo:Api:Port"),
        ("GORDO_GRPC_PORT", "Gordo:Api:GrpcPort"),
        ("GORDO_ORT_INTRA_OP_THREADS", "Gordo:Onnx:IntraOpThreads"),
        ("GORDO_ORT_GLOBAL_THREAD_POOL", "Gordo:Onnx:UseGlobalThreadPool"),
        ("GORDO_BATCHING", "Gordo:Batching:Enabled"),
        ("GORDO_BATCH_MAX_ROWS", "Gordo:Batching:MaxBatchRows"),
        ("GORDO_BATCH_MAX_WAIT_MS", "Gordo:Batching:MaxWaitMilliseconds"),
        ("GORDO_API_MODE", "Gordo:Api:Mode"),
        ("GORDO_ADMIN_SECRET", "Gordo:Api:AdminSecret"),
        ("GORDO_REDIS", "Gordo:Cluster:Redis"),
        ("GORDO_SERVICE_ID", "Gordo:Cluster:ServiceId"),
        ("GORDO_CLUSTER_ID", "Gordo:Cluster:ClusterId"),
        ("GORDO_SILO_NAME", "Gordo:Silo:Name"),
        ("GORDO_SILO_HOST", "Gordo:Silo:AdvertisedHost"),
        ("GORDO_SILO_BIND", "Gordo:Silo:BindHost"),
        ("GORDO_SILO_PORT", "Gordo:Silo:Port"),
        ("GORDO_GATEWAY_PORT", "Gordo:Silo:GatewayPort"),
        ("GORDO_CLUSTER_CERT", "Gordo:Cluster:Certificate"),
        ("GORDO_CLUSTER_CERT_PASSWORD", "Gordo:Cluster:CertificatePassword"),
        ("GORDO_LOG_FORMAT", "Gordo:Logging:Format"),
        ("PROJECT", "Gordo:Metrics:Project"),
    ];

    /// <summary>Adds the mapped variables as a configuration source (over appsettings and plain environment).</summary>
    public static IConfigurationBuilder AddGordoEnvironment(this IConfigurationBuilder configuration)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, key) in s_plain)
        {
            if (Environment.GetEnvironmentVariable(variable) is { } value)
            {
                values[key] = value;
            }
        }

        // GORDO_IDLE_AGE: seconds ("900") or a TimeSpan ("00:15:00"); a bare number is never days.
        if (Environment.GetEnvironmentVariable("GORDO_IDLE_AGE") is { Length: > 0 } idle)
        {
            values["Gordo:Grains:CollectionAge"] = Seconds(idle);
        }

        if (Environment.GetEnvironmentVariable("GORDO_DEATH_TIMEOUT") is { Length: > 0 } death)
        {
            values["Gordo:Cluster:DeathTimeout"] = Seconds(death);
        }

        if (Environment.GetEnvironmentVariable("GORDO_MEMORY_BUDGET") is { Length: > 0 } budget)
        {
            values["Gordo:Silo:MemoryBudgetBytes"] = Bytes(budget);
        }

        return configuration.AddInMemoryCollection(values);
    }

    /// <summary>A bare number is seconds; anything else is passed on as a time span ("00:15:00").</summary>
    private static string Seconds(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)
            : value;

    /// <summary>Bytes, with an optional K/M/G suffix (binary: 512M is 512 MiB).</summary>
    private static string Bytes(string value)
    {
        var text = value.Trim().TrimEnd('B', 'b', 'i');
        var multiplier = text.Length > 0 ? char.ToUpperInvariant(text[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L } : 1L;
        if (multiplier > 1)
        {
            text = text[..^1];
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? ((long)(number * multiplier)).ToString(CultureInfo.InvariantCulture)
            : value;
    }
}
