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
        ("GORDO_ORT_INTRA_OP_THREADS", "Gordo:Onnx:IntraOpThreads"),
        ("GORDO_ORT_GLOBAL_THREAD_POOL", "Gordo:Onnx:UseGlobalThreadPool"),
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
            values["Gordo:Grains:CollectionAge"] = double.TryParse(idle, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture)
                : idle;
        }

        return configuration.AddInMemoryCollection(values);
    }
}
