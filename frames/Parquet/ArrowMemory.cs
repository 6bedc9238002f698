using ParquetSharp;

namespace Gordo.Frames.Parquet;

/// <summary>
/// The allocator Arrow's Parquet reader and writer use. Arrow's default (mimalloc) gives each page's
/// buffers back and takes them again fresh, so a 10 000 x 182 answer spent about a third of its write
/// time in memcpy onto new pages (page faults, under <c>perf</c>); the system allocator reuses them:
/// 15-17 ms against 27 ms for that write on the 2-core machine.
/// </summary>
internal static class ArrowMemory
{
    public static MemoryPool Pool { get; } = MemoryPool.SystemMemoryPool();

    public static ReaderProperties ReaderProperties { get; } = ReaderProperties.WithMemoryPool(Pool);
}
