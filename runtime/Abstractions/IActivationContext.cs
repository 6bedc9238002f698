namespace Gordo.Runtime;

/// <summary>What a grain instance can ask of the activation that hosts it.</summary>
internal interface IActivationContext
{
    GrainId GrainId { get; }

    void Deactivate(DeactivationReason reason);

    Task<IDisposable> ReserveMemoryAsync(long bytes);
}
