using System.Buffers;
using Microsoft.AspNetCore.Connections;

namespace Gordo.Api.Http;

/// <summary>Kestrel's source of memory pools (its transport and its connections ask this), giving <see cref="LargeBlockMemoryPool"/>s.</summary>
internal sealed class LargeBlockMemoryPoolFactory(LargeBlockMemoryPoolInstruments instruments, TimeProvider time) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new LargeBlockMemoryPool(instruments, options?.Owner ?? "kestrel", time);
}
