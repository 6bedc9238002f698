namespace Gordo.Grains.Activations;

/// <summary>The metric label of why a model grain was deactivated.</summary>
public static class DeactivationReasonLabels
{
    /// <summary>The description an operator's or the API's eviction gives (<see cref="DeactivationReasonCode.ApplicationRequested"/>).</summary>
    public const string Evicted = "evicted";

    public static DeactivationReason Eviction { get; } = new(DeactivationReasonCode.ApplicationRequested, Evicted);

    public static string ToLabel(this DeactivationReason reason) => reason.ReasonCode switch
    {
        DeactivationReasonCode.ActivationIdle => "idle_timeout",
        DeactivationReasonCode.HighMemoryPressure => "memory_pressure",
        DeactivationReasonCode.ApplicationRequested when reason.Description == Evicted => "evicted",
        DeactivationReasonCode.ApplicationRequested => "application_requested",
        DeactivationReasonCode.ShuttingDown => "shutting_down",
        DeactivationReasonCode.Migrating or DeactivationReasonCode.DirectoryFailure or DeactivationReasonCode.DuplicateActivation => "placement_changed",
        DeactivationReasonCode.ActivationFailed => "activation_failed",
        _ => "other",
    };
}
