using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gordo.Runtime;

/// <summary>
/// Arrays for frames and buffers: up to <see cref="MaxPooledBytes"/> from <see cref="ArrayPool{T}.Shared"/>,
/// larger ones allocated and left to the garbage collector. The shared pool keeps what it is given
/// back, so pooling the arrays of a few 100 000-row requests would hold gigabytes for good; large
/// arrays are rare and cost little to allocate next to the work done on them.
/// </summary>
public static class PooledArrays
{
    public const int MaxPooledBytes = 1 << 20;

    public static T[] Rent<T>(int length)
    {
        if ((long)length * Unsafe.SizeOf<T>() <= MaxPooledBytes)
        {
            return ArrayPool<T>.Shared.Rent(length);
        }

        return RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    public static void Return<T>(T[] array, bool clearArray = false)
    {
        if ((long)array.Length * Unsafe.SizeOf<T>() <= MaxPooledBytes && array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array, clearArray);
        }
    }
}
