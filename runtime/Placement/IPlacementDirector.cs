namespace Gordo.Runtime;

/// <summary>Chooses the one silo that owns a grain under a given membership view.</summary>
public interface IPlacementDirector
{
    /// <summary>The owning silo, or null when the view has no active silo.</summary>
    SiloAddress? SelectOwner(GrainId grainId, MembershipView view);
}
