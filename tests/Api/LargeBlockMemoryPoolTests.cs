using System.Diagnostics.Metrics;
using System.Net;
using Gordo.Api.Http;
using Gordo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gordo.Tests.Api;

/// <summary>
/// Kestrel's buffers come from <see cref="LargeBlockMemoryPool"/>: 64 KiB pinned blocks, reused, let go
/// when idle, and counted under Kestrel's own memory-pool instrument names; a real server receives a
/// large request through it and <c>/metrics</c> shows it.
/// </summary>
public sealed class LargeBlockMemoryPoolTests(TestCollection collection)
{
    [Fact]
    public void Blocks_are_64_KiB_reused_once_returned_and_counted_as_Kestrel_counts_them()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var totals = new Totals(meters);
        using var pool = new LargeBlockMemoryPool(new LargeBlockMemoryPoolInstruments(meters), "kestrel", new ManualTimers());

        var first = pool.Rent(100);
        var second = pool.Rent();
        Assert.Equal(LargeBlockMemoryPool.BlockBytes, first.Memory.Length);
        Assert.Equal(LargeBlockMemoryPool.BlockBytes, pool.MaxBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockBytes + 1));
        first.Memory.Span.Fill(7);
        first.Dispose();
        Assert.Equal(1, pool.FreeBlocks);
        var again = pool.Rent(LargeBlockMemoryPool.BlockBytes);
        Assert.Equal(7, again.Memory.Span[LargeBlockMemoryPool.BlockBytes - 1]); // the same array, not a new one
        again.Dispose();
        second.Dispose();

        const long block = LargeBlockMemoryPool.BlockBytes;
        Assert.Equal(3 * block, totals["aspnetcore.memory_pool.rented"]);
        Assert.Equal(2 * block, totals["aspnetcore.memory_pool.allocated"]);
        Assert.Equal(2 * block, totals["aspnetcore.memory_pool.pooled"]);
        Assert.Equal(0, totals["aspnetcore.memory_pool.evicted"]);
        Assert.Equal(["kestrel"], totals.Owners);
    }

    [Fact]
    public void Idle_blocks_go_a_quarter_at_a_time_and_none_while_the_pool_is_still_allocating()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var totals = new Totals(meters);
        var time = new ManualTimers();
        using var pool = new LargeBlockMemoryPool(new LargeBlockMemoryPoolInstruments(meters), "kestrel", time);
        Assert.Equal(LargeBlockMemoryPool.EvictionPeriod, time.Period);
        var rented = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        rented.ForEach(block => block.Dispose());

        time.Tick(); // ten blocks were allocated since the last look: busy
        Assert.Equal(10, pool.FreeBlocks);
        time.Tick();
        Assert.Equal(7, pool.FreeBlocks); // a quarter of ten, rounded up
        time.Tick();
        Assert.Equal(5, pool.FreeBlocks);

        // Renting what is pooled allocates nothing, so eviction goes on.
        pool.Rent().Dispose();
        time.Tick();
        Assert.Equal(3, pool.FreeBlocks);

        const long block = LargeBlockMemoryPool.BlockBytes;
        Assert.Equal(7 * block, totals["aspnetcore.memory_pool.evicted"]);
        Assert.Equal(3 * block, totals["aspnetcore.memory_pool.pooled"]);
    }

    [Fact]
    public async Task A_real_server_receives_a_large_request_into_64_KiB_blocks_and_metrics_show_them()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        var build = collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 1200, build.Targets);
        Assert.True(body.Length > 4 * LargeBlockMemoryPool.BlockBytes);
        await (await server.PostJsonAsync("/gordo/v0/plant-a/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);

        var response = await server.GetAsync("/metrics");
        var scrape = PrometheusExposition.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        const string prefix = "microsoft_aspnetcore_memorypool_aspnetcore_memory_pool_";
        var owner = ("aspnetcore_memory_pool_owner", "kestrel");
        var rented = scrape.Value(prefix + "rented", owner);
        var allocated = scrape.Value(prefix + "allocated", owner);
        Assert.NotNull(rented);
        Assert.NotNull(allocated);
        // At least the request's own size went through the pool, all of it in whole 64 KiB blocks.
        Assert.True(rented >= body.Length, $"rented {rented} bytes for a {body.Length}-byte request");
        Assert.Equal(0, rented!.Value % LargeBlockMemoryPool.BlockBytes);
        Assert.Equal(0, allocated!.Value % LargeBlockMemoryPool.BlockBytes);
    }

    /// <summary>A clock whose one timer fires only when the test says so (the real one would at 10 s, whatever the test is doing).</summary>
    private sealed class ManualTimers : TimeProvider
    {
        private TimerCallback? _callback;
        private object? _state;

        public TimeSpan Period { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            (_callback, _state, Period) = (callback, state, period);
            return new Timer();
        }

        public void Tick() => _callback!(_state);

        private sealed class Timer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>The pool instruments' running totals, and the owners they were tagged with.</summary>
    private sealed class Totals : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _totals = [];
        private readonly HashSet<string> _owners = [];

        public Totals(IMeterFactory meters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (Gordo.Silo.MemoryPoolMeters.IsMemoryPoolInstrument(instrument, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                lock (_totals)
                {
                    _totals[instrument.Name] = this[instrument.Name] + value;
                    foreach (var tag in tags)
                    {
                        _owners.Add($"{tag.Value}");
                    }
                }
            });
            _listener.Start();
        }

        public IReadOnlyCollection<string> Owners => _owners;

        public long this[string name] => _totals.GetValueOrDefault(name);

        public void Dispose() => _listener.Dispose();
    }
}
