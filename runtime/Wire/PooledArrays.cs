using System.Buffers;
using System.Runtime.CompilerServices;

namespace Gordo.Runtime;

/// <summary>
/// Arrays for frames and buffers. Up to <see cref="MaxSmallBytes"/> they come from
/// <see cref="ArrayPool{T}.Shared"/>; up to <see cref="MaxMediumBytes"/> (request bodies and response
/// buffers) from a pool that keeps <see cref="MediumArraysPerSize"/> arrays per size class, because
/// the shared pool keeps only a few per core and 64 concurrent 100-row requests allocated a new
/// 512 KiB response buffer every third request; up to <see cref="MaxPooledBytes"/> from a small pool that keeps
/// one array per size class, so the 10 000-row batches of a backfill reuse their buffers while what a
/// silo keeps stays bounded (about 2 × <see cref="MaxPooledBytes"/> per element type); larger arrays
/// are allocated and left to the garbage collector. Pooling everything in the shared pool held
/// gigabytes after a few 100 000-row requests.
/// </summary>
public static class PooledArrays
{
    public const int MaxSmallBytes = 64 << 10;
    public const int MaxMediumBytes = 1 << 20;
    public const int MediumArraysPerSize = 64;
    public const int MaxPooledBytes = 16 << 20;

    public static T[] Rent<T>(int length)
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes <= MaxSmallBytes)
        {
            return ArrayPool<T>.Shared.Rent(length);
        }

        if (bytes <= MaxMediumBytes)
        {
            return Medium<T>.Pool.Rent(length);
        }

        if (bytes <= MaxPooledBytes)
        {
            return Large<T>.Pool.Rent(length);
        }

        return RuntimeHelpers.IsReferenceOrContainsReferences<T>() ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    public static void Return<T>(T[] array, bool clearArray = false)
    {
        var bytes = (long)array.Length * Unsafe.SizeOf<T>();
        if (array.Length == 0)
        {
            return;
        }

        if (bytes <= MaxSmallBytes)
        {
            ArrayPool<T>.Shared.Return(array, clearArray);
        }
        else if (bytes <= MaxMediumBytes)
        {
            Medium<T>.Pool.Return(array, clearArray);
        }
        else if (bytes <= MaxPooledBytes)
        {
            Large<T>.Pool.Return(array, clearArray);
        }
    }

    private static class Medium<T>
    {
        public static readonly ArrayPool<T> Pool = ArrayPool<T>.Create(MaxMediumBytes / Unsafe.SizeOf<T>(), MediumArraysPerSize);
    }

    private static class Large<T>
    {
        public static readonly ArrayPool<T> Pool = ArrayPool<T>.Create(MaxPooledBytes / Unsafe.SizeOf<T>(), maxArraysPerBucket: 1);
    }
}
