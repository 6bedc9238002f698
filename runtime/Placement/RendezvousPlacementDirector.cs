namespace Gordo.Runtime;

/// <summary>
/// Rendezvous (highest random weight) hashing: every silo gets a score for the grain and the highest
/// score owns it. When a silo joins or leaves, only the grains it wins or owned move; all others stay.
/// </summary>
public sealed class RendezvousPlacementDirector : IPlacementDirector
{
    public SiloAddress? SelectOwner(GrainId grainId, MembershipView view)
    {
        var silos = view.ActiveSilos;
        if (silos.Length == 0)
        {
            return null;
        }

        if (silos.Length == 1)
        {
            return silos[0];
        }

        var grainHash = StableHash.Hash(grainId.ToString());
        SiloAddress? best = null;
        var bestScore = 0UL;
        foreach (var silo in silos)
        {
            // Score by endpoint, not generation: a silo restarted on the same endpoint gets its grains back.
            var score = StableHash.Mix(grainHash ^ StableHash.Hash(silo.Endpoint));
            if (best is null || score > bestScore)
            {
                best = silo;
                bestScore = score;
            }
        }

        return best;
    }
}
