namespace Gordo.Runtime;

/// <summary>
/// Implemented by grains that hold sizeable memory (a loaded model), so the silo can keep the sum of
/// its activations under its memory budget by deactivating the least recently used ones.
/// </summary>
public interface IGrainMemoryFootprint
{
    /// <summary>Bytes held by the activation now, native and managed; 0 when nothing is loaded.</summary>
    long MemoryBytes { get; }
}
