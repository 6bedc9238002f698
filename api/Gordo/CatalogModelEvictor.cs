using Gordo.GrainInterfaces;
using Gordo.Runtime;

namespace Gordo.Api.Gordo;

/// <summary>Evicts from this process's silo; in-flight calls finish first.</summary>
public sealed class CatalogModelEvictor(Catalog catalog) : IModelEvictor
{
    public Task EvictAsync(string revision, string target, CancellationToken cancellationToken) =>
        catalog.DeactivateAsync(new GrainId(ModelGrainMethods.GrainType, new ModelKey(revision, target).ToString()), DeactivationReason.Evicted);
}
