namespace Gordo.Runtime;

/// <summary>
/// One activation of a grain on this silo: the grain instance, its activation task (shared by every
/// call that arrives while it loads), its in-flight call count and its last-use time.
/// </summary>
/// <remarks>
/// In-flight calls and the "deactivating" mark share one integer so that entering a call and
/// starting a deactivation are a single atomic decision: once deactivation has begun, no new call
/// enters; calls already in flight finish, and deactivation waits for them (<see cref="Drained"/>).
/// </remarks>
internal sealed class ActivationData : IActivationContext
{
    private const int DeactivatingFlag = 1 << 30;

    private readonly Catalog _catalog;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _callState;
    private long _lastUsedTicks;
    private long _calls;
    private Task? _activationTask;
    private volatile ActivationState _state = ActivationState.Activating;

    public ActivationData(Catalog catalog, GrainId grainId, GrainClassRegistration grainClass)
    {
        _catalog = catalog;
        GrainId = grainId;
        GrainClass = grainClass;
        Turn = grainClass.IsReentrant ? null : new SemaphoreSlim(1, 1);
        _lastUsedTicks = Environment.TickCount64;
        ActivatedAt = DateTimeOffset.UtcNow;
    }

    public GrainId GrainId { get; }

    public GrainClassRegistration GrainClass { get; }

    public Grain? Instance { get; private set; }

    /// <summary>Turn lock of a non-reentrant grain (one call at a time); null for reentrant grains.</summary>
    public SemaphoreSlim? Turn { get; }

    public ActivationState State => _state;

    public DateTimeOffset ActivatedAt { get; }

    public long LastUsedTicks => Volatile.Read(ref _lastUsedTicks);

    public int InFlightCalls => Volatile.Read(ref _callState) & ~DeactivatingFlag;

    public long Calls => Volatile.Read(ref _calls);

    public long MemoryBytes => _state == ActivationState.Valid && Instance is IGrainMemoryFootprint footprint ? footprint.MemoryBytes : 0;

    /// <summary>Completes when deactivation has begun and no call is in flight any more.</summary>
    public Task Drained => _drained.Task;

    /// <summary>Completes when the activation is gone (deactivated, or failed to activate).</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>Counts a call in, unless deactivation has begun.</summary>
    public bool TryEnterCall()
    {
        while (true)
        {
            var state = Volatile.Read(ref _callState);
            if ((state & DeactivatingFlag) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _callState, state + 1, state) == state)
            {
                Interlocked.Increment(ref _calls);
                return true;
            }
        }
    }

    public void ExitCall()
    {
        Volatile.Write(ref _lastUsedTicks, Environment.TickCount64);
        if (Interlocked.Decrement(ref _callState) == DeactivatingFlag)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Marks the activation as deactivating; false if it already was.</summary>
    public bool TryBeginDeactivation()
    {
        while (true)
        {
            var state = Volatile.Read(ref _callState);
            if ((state & DeactivatingFlag) != 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _callState, state | DeactivatingFlag, state) == state)
            {
                _state = ActivationState.Deactivating;
                if (state == 0)
                {
                    _drained.TrySetResult();
                }

                return true;
            }
        }
    }

    /// <summary>Starts activation on the first call; every later call awaits the same task.</summary>
    public Task EnsureActivatedAsync()
    {
        var task = Volatile.Read(ref _activationTask);
        if (task is not null)
        {
            return task;
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        task = Interlocked.CompareExchange(ref _activationTask, completion.Task, null);
        if (task is not null)
        {
            return task;
        }

        _ = ActivateAsync(completion);
        return completion.Task;
    }

    private async Task ActivateAsync(TaskCompletionSource completion)
    {
        try
        {
            var grain = _catalog.CreateGrainInstance(GrainClass);
            grain.Attach(this);
            Instance = grain;
            await grain.OnActivateAsync(_catalog.ShutdownToken).ConfigureAwait(false);
            _state = ActivationState.Valid;
            completion.TrySetResult();
        }
        catch (Exception ex)
        {
            TryBeginDeactivation();
            _state = ActivationState.Invalid;
            _catalog.OnActivationFailed(this, ex);
            completion.TrySetException(ex);
            _deactivated.TrySetResult();
        }
    }

    /// <summary>True once activation has completed successfully.</summary>
    public bool IsActivated => Volatile.Read(ref _activationTask) is { IsCompletedSuccessfully: true };

    public void MarkInvalid()
    {
        _state = ActivationState.Invalid;
        _deactivated.TrySetResult();
    }

    void IActivationContext.Deactivate(DeactivationReason reason) => _catalog.StartDeactivation(this, reason);

    Task<IDisposable> IActivationContext.ReserveMemoryAsync(long bytes) => _catalog.ReserveMemoryAsync(this, bytes);
}
