namespace Gordo.Runtime;

/// <summary>A silo could not take a call: unreachable, shutting down, or no longer the grain's owner.
/// The router retries such calls on the owner of a newer membership view.</summary>
public sealed class SiloUnavailableException(SiloAddress silo, string reason, Exception? inner = null)
    : Exception($"Silo {silo} could not take the call: {reason}", inner)
{
    public SiloAddress Silo { get; } = silo;
}
