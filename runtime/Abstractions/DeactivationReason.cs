namespace Gordo.Runtime;

/// <summary>Why an activation is being deactivated.</summary>
public enum DeactivationReason
{
    /// <summary>Unused for longer than the collection age.</summary>
    IdleTimeout,

    /// <summary>The grain asked for it (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    ApplicationRequested,

    /// <summary>The silo needs memory for other activations (least recently used first).</summary>
    MemoryPressure,

    /// <summary>An operator or the API evicted it (for example after its model was deleted).</summary>
    Evicted,

    /// <summary>The membership view changed and another silo now owns the grain.</summary>
    PlacementChanged,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,
}
