using Gordo.Api.Hosting;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Gordo.Api.Http;

/// <summary>
/// Admission by size: the bytes of frames being decoded, run and encoded at once stay under
/// <see cref="ApiOptions.MaxFrameBytesInFlight"/>. A request that does not fit waits in arrival order
/// up to <see cref="ApiOptions.FrameAdmissionTimeout"/>, then gets a 503 with <c>Retry-After</c>.
/// Requests of at most a sixteenth of the budget are small and have a lane of their own (a quarter of
/// the budget, which large ones never take), so a small request never waits behind a large one, only
/// behind other small ones; large requests share the rest strictly first come, first served, so none
/// is starved.
/// </summary>
public sealed class FrameBudget
{
    private readonly Lane _small;
    private readonly Lane _large;
    private readonly TimeSpan _timeout;
    private readonly Counter _timeouts;

    public FrameBudget(IOptions<ApiOptions> options, IMetricFactory metrics, CollectorRegistry registry)
    {
        Capacity = options.Value.EffectiveMaxFrameBytesInFlight;
        _timeout = options.Value.FrameAdmissionTimeout;
        _small = new Lane(Capacity / 4);
        _large = new Lane(Capacity - (Capacity / 4));
        var inFlight = metrics.CreateGauge("gordo_frame_in_flight_bytes", "Estimated bytes of request frames being decoded, run and encoded now.");
        var waiting = metrics.CreateGauge("gordo_frame_admission_waiting", "Requests waiting for room in the bytes-in-flight budget.");
        metrics.CreateGauge("gordo_frame_budget_bytes", "The bytes-in-flight budget (Gordo:Api:MaxFrameBytesInFlight).").Set(Capacity);
        _timeouts = metrics.CreateCounter("gordo_frame_admission_timeouts_total", "Requests answered 503 because no room was found within the admission timeout.");
        registry.AddBeforeCollectCallback(() =>
        {
            inFlight.Set(InFlight);
            waiting.Set(Waiting);
        });
    }

    /// <summary>Bytes of frames allowed in flight.</summary>
    public long Capacity { get; }

    /// <summary>The largest request that counts as small.</summary>
    public long SmallLimit => Capacity / 16;

    /// <summary>Bytes admitted now.</summary>
    public long InFlight => _small.Used + _large.Used;

    /// <summary>Requests waiting for room now.</summary>
    public int Waiting => _small.Waiting + _large.Waiting;

    /// <summary>
    /// The bytes a request will hold while it is decoded, run and encoded, from its body. A JSON body
    /// decodes to about a third of its size (a key and a number per 8-byte cell), an anomaly answer holds
    /// about five result cells per input cell, and its JSON about three times the body: six times the
    /// body in all (measured: 48 MB of JSON in, 264 MB out). A Parquet body is compressed, so each byte
    /// stands for more cells. Answers over the streaming threshold hold only a few buffers.
    /// </summary>
    public static long Estimate(long bodyBytes, bool parquet) => parquet ? (16 * bodyBytes) + (64 << 10) : (6 * bodyBytes) + (16 << 10);

    /// <summary>Waits for room for <paramref name="bytes"/> (at most its lane); dispose the lease to give it back.</summary>
    /// <exception cref="FrameAdmissionException">No room within the admission timeout.</exception>
    public async ValueTask<IDisposable> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        var lane = bytes <= SmallLimit ? _small : _large;
        bytes = Math.Clamp(bytes, 1, lane.Capacity);
        if (lane.TryEnter(bytes) is { } admitted)
        {
            return admitted;
        }

        try
        {
            return await lane.WaitAsync(bytes, _timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _timeouts.Inc();
            throw new FrameAdmissionException(bytes, _timeout);
        }
    }

    /// <summary>A weighted semaphore served strictly in arrival order.</summary>
    private sealed class Lane(long capacity)
    {
        private readonly Lock _lock = new();
        private readonly LinkedList<Waiter> _waiters = new();
        private long _used;

        public long Capacity { get; } = capacity;

        public long Used
        {
            get
            {
                lock (_lock)
                {
                    return _used;
                }
            }
        }

        public int Waiting
        {
            get
            {
                lock (_lock)
                {
                    return _waiters.Count;
                }
            }
        }

        public Lease? TryEnter(long bytes)
        {
            lock (_lock)
            {
                if (_waiters.Count > 0 || _used + bytes > Capacity)
                {
                    return null;
                }

                _used += bytes;
                return new Lease(this, bytes);
            }
        }

        public async Task<Lease> WaitAsync(long bytes, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var waiter = new Waiter(bytes);
            lock (_lock)
            {
                if (_waiters.Count == 0 && _used + bytes <= Capacity)
                {
                    _used += bytes;
                    return new Lease(this, bytes);
                }

                waiter.Node = _waiters.AddLast(waiter);
            }

            try
            {
                await waiter.Admitted.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
                return new Lease(this, bytes);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                lock (_lock)
                {
                    if (waiter.Node.List is not null)
                    {
                        _waiters.Remove(waiter.Node);
                        AdmitWaiters(); // the ones behind it may fit now
                    }
                    else
                    {
                        // Admitted just as the wait ended: hand the room back.
                        _used -= bytes;
                        AdmitWaiters();
                    }
                }

                throw;
            }
        }

        private void Release(long bytes)
        {
            lock (_lock)
            {
                _used -= bytes;
                AdmitWaiters();
            }
        }

        private void AdmitWaiters()
        {
            while (_waiters.First is { } first && _used + first.Value.Bytes <= Capacity)
            {
                _used += first.Value.Bytes;
                _waiters.RemoveFirst();
                first.Value.Admitted.TrySetResult();
            }
        }

        public sealed class Lease(Lane lane, long bytes) : IDisposable
        {
            private int _released;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    lane.Release(bytes);
                }
            }
        }

        private sealed class Waiter(long bytes)
        {
            public long Bytes { get; } = bytes;

            public LinkedListNode<Waiter> Node { get; set; } = null!;

            public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
