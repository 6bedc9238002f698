using System.Diagnostics.Metrics;
using Gordo.Silo;

namespace Gordo.Api.Http;

/// <summary>
/// Kestrel's memory-pool instruments, made under its meter's name by this host's meter factory, so that
/// <see cref="MemoryPoolMeters"/> exports <see cref="LargeBlockMemoryPool"/>'s figures where Kestrel's were.
/// </summary>
internal sealed class LargeBlockMemoryPoolInstruments
{
    public const string OwnerTag = "aspnetcore.memory_pool.owner";

    public LargeBlockMemoryPoolInstruments(IMeterFactory meters)
    {
        var meter = meters.Create(MemoryPoolMeters.MeterName);
        Pooled = meter.CreateUpDownCounter<long>("aspnetcore.memory_pool.pooled", "By", "Number of bytes currently pooled and available for reuse.");
        Allocated = meter.CreateCounter<long>("aspnetcore.memory_pool.allocated", "By",
            "Total number of bytes allocated by the memory pool. Allocation occurs when a memory rental request exceeds the available pooled memory.");
        Evicted = meter.CreateCounter<long>("aspnetcore.memory_pool.evicted", "By",
            "Total number of bytes evicted from the memory pool. Eviction occurs when idle pooled memory is reclaimed. Evicted memory is available for garbage collection.");
        Rented = meter.CreateCounter<long>("aspnetcore.memory_pool.rented", "By", "Total number of bytes rented from the memory pool.");
    }

    public UpDownCounter<long> Pooled { get; }

    public Counter<long> Allocated { get; }

    public Counter<long> Evicted { get; }

    public Counter<long> Rented { get; }
}
