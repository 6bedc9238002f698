using Orleans.Concurrency;

namespace Gordo.GrainInterfaces;

/// <summary>
/// One silo's control endpoint: a grain whose key is a silo address and which is placed on that silo,
/// so an admin broadcast reaches each silo with its own call and deadline (Orleans' management
/// fan-outs fail whole on one bad silo and do not say which answered). It dispatches to the silo's
/// <see cref="ISiloControlHandler"/>s by operation name.
/// </summary>
public interface ISiloControlGrain : IGrainWithStringKey
{
    [AlwaysInterleave]
    Task<byte[]> HandleAsync(string operation, byte[] payload, CancellationToken cancellationToken = default);
}
