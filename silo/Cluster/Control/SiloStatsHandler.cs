using System.Text.Json;
using Gordo.Grains.Activations;
using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary><c>silo-stats</c>: what <c>/admin/cluster</c> shows of each silo (name, start, model grains, loaded bytes).</summary>
public sealed class SiloStatsHandler(ModelActivations activations, ILocalSiloDetails local, IOptions<GordoSiloOptions> options) : ISiloControlHandler
{
    public const string Stats = "silo-stats";

    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

    public string Operation => Stats;

    public ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var stats = new SiloStats(options.Value.Name, local.SiloAddress.ToString(), _started, activations.Count, activations.MemoryBytes,
            activations.MemoryBudgetBytes, ["model", "silo-control"], options.Value.HttpEndpoint);
        return ValueTask.FromResult(JsonSerializer.SerializeToUtf8Bytes(stats, ControlJsonContext.Default.SiloStats));
    }
}
