namespace Gordo.Runtime;

/// <summary>
/// Routes a grain call to its owner under the current membership view: this silo's
/// <see cref="Catalog"/> when it owns the grain. Calls to other silos need a silo-to-silo transport,
/// which single-silo deployments do not have.
/// </summary>
public sealed class GrainCallRouter(IClusterMembership membership, IPlacementDirector placement, Catalog? catalog = null) : IGrainCallInvoker
{
    public ValueTask<TResponse> InvokeAsync<TGrain, TRequest, TResponse>(
        GrainId grainId,
        GrainMethod<TGrain, TRequest, TResponse> method,
        TRequest request,
        CancellationToken cancellationToken)
        where TGrain : IGrain
    {
        var owner = placement.SelectOwner(grainId, membership.CurrentView)
            ?? throw new NoSiloAvailableException($"No active silo can host {grainId}: the membership view is empty.");
        if (catalog is not null && owner == membership.LocalSilo)
        {
            return catalog.InvokeAsync(grainId, method, request, cancellationToken);
        }

        throw new NoSiloAvailableException($"{grainId} is owned by {owner}, and this process has no silo-to-silo transport.");
    }
}
