using Gordo.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Http;

/// <summary>
/// Lets <see cref="ApiOptions.MaxConcurrentFrameWork"/> requests decode or encode frames at once, the
/// rest in arrival order. Only CPU-bound work is gated: reading bodies, grain calls (which may wait on
/// another silo) and writing responses are not.
/// </summary>
public sealed class FrameWorkGate(IOptions<ApiOptions> options)
{
    private readonly SemaphoreSlim? _slots = options.Value.MaxConcurrentFrameWork > 0
        ? new SemaphoreSlim(options.Value.MaxConcurrentFrameWork, options.Value.MaxConcurrentFrameWork)
        : null;

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots is null)
        {
            return default;
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Slot(_slots);
    }

    /// <summary>A held slot.</summary>
    public readonly struct Slot(SemaphoreSlim? slots) : IDisposable
    {
        public void Dispose() => slots?.Release();
    }
}
