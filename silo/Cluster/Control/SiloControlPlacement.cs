using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace Gordo.Silo.Cluster;

/// <summary>Places a <see cref="SiloControlGrain"/> on the silo its key names, never elsewhere.</summary>
[GenerateSerializer, Immutable]
public sealed class SiloControlPlacement : PlacementStrategy
{
    internal static readonly SiloControlPlacement Instance = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloControlPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloControlPlacementAttribute() : PlacementAttribute(SiloControlPlacement.Instance);

/// <summary>Reads the silo address from the grain key; a silo that is not (or no longer) in the cluster fails the call.</summary>
public sealed class SiloControlPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silo = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString()!);
        return context.GetCompatibleSilos(target).Contains(silo)
            ? Task.FromResult(silo)
            : throw new SiloUnavailableException($"Silo {silo} is not an active member of the cluster.");
    }
}
