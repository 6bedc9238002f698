using Orleans.Concurrency;

namespace Gordo.Silo.Cluster;

/// <summary>
/// This silo's control endpoint (<see cref="ISiloControlGrain"/>): it runs the named operation's
/// handler here, on the thread pool, so one slow operation (a stack capture) does not hold others.
/// </summary>
[Reentrant]
[GrainType("silo-control")]
[SiloControlPlacement]
public sealed class SiloControlGrain(IEnumerable<ISiloControlHandler> handlers, ILocalSiloDetails local) : Grain, ISiloControlGrain
{
    private readonly Dictionary<string, ISiloControlHandler> _handlers = handlers.ToDictionary(h => h.Operation, StringComparer.Ordinal);

    public async Task<byte[]> HandleAsync(string operation, byte[] payload, CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        if (key != local.SiloAddress.ToParsableString())
        {
            // A directory race put it elsewhere: answering would speak for the wrong silo.
            DeactivateOnIdle();
            throw new InvalidOperationException($"The control grain of {key} runs on {local.SiloAddress}.");
        }

        var handler = _handlers.GetValueOrDefault(operation) ?? throw new ArgumentException($"This silo has no control operation '{operation}'.");
        return await Task.Run(() => handler.HandleAsync(payload, cancellationToken).AsTask(), cancellationToken);
    }
}
