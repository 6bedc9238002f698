namespace Gordo.Runtime;

/// <summary>The snake_case form of a <see cref="DeactivationReason"/> used as a metric label value.</summary>
public static class DeactivationReasonLabels
{
    public static string ToLabel(this DeactivationReason reason) => reason switch
    {
        DeactivationReason.IdleTimeout => "idle_timeout",
        DeactivationReason.ApplicationRequested => "application_requested",
        DeactivationReason.MemoryPressure => "memory_pressure",
        DeactivationReason.Evicted => "evicted",
        DeactivationReason.PlacementChanged => "placement_changed",
        DeactivationReason.ShuttingDown => "shutting_down",
        _ => "unknown",
    };
}
