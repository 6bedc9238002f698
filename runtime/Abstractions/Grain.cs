namespace Gordo.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates one instance per activation (its
/// constructor receives services from dependency injection), calls <see cref="OnActivateAsync"/>
/// before the first call and <see cref="OnDeactivateAsync"/> after the last one.
/// </summary>
public abstract class Grain
{
    private IActivationContext? _context;

    /// <summary>This activation's grain identity.</summary>
    public GrainId GrainId => Context.GrainId;

    /// <summary>The grain key (the part after the grain type).</summary>
    protected string GrainKey => Context.GrainId.Key;

    private IActivationContext Context => _context ?? throw new InvalidOperationException("The grain has not been activated by the runtime.");

    /// <summary>Runs once, before the first call reaches the activation. Throwing fails the activation:
    /// every caller waiting for it gets the exception and the next call tries a fresh activation.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once, after the last in-flight call has finished.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Asks the runtime to deactivate this activation once its in-flight calls have finished.</summary>
    protected void DeactivateOnIdle() => Context.Deactivate(DeactivationReason.ApplicationRequested);

    /// <summary>
    /// Asks the silo for room for <paramref name="bytes"/> under its memory budget before loading them
    /// (it may deactivate least recently used grains). Dispose the reservation once the loaded bytes
    /// show in <see cref="IGrainMemoryFootprint.MemoryBytes"/>.
    /// </summary>
    protected Task<IDisposable> ReserveMemoryAsync(long bytes) => Context.ReserveMemoryAsync(bytes);

    internal void Attach(IActivationContext context) => _context = context;
}
