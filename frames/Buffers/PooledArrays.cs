using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gordo.Frames.Buffers;

/// <summary>
/// Arrays for frames and buffers. Up to <see cref="MaxSmallBytes"/> they come from
/// <see cref="ArrayPool{T}.Shared"/>; up to <see cref="MaxMediumBytes"/> (request bodies and response
/// buffers) from a pool that keeps <see cref="MediumArraysPerSize"/> arrays per size class, because
/// the shared pool keeps only a few per core and 64 concurrent 100-row requests allocated a new
/// 512 KiB response buffer every third request; up to <see cref="MaxPooledBytes"/> from a pool that keeps
/// <see cref="LargeBytesPerSize"/> per size class, so the 10 000-row batches of a backfill reuse their
/// buffers (keeping one array per size class allocated 15 MB of 2 MiB arrays for each 10 000 x 20 answer)
/// while what a silo keeps stays bounded (5 × <see cref="LargeBytesPerSize"/> per element type); larger arrays
/// are allocated and left to the garbage collector. Pooling everything in the shared pool held
/// gigabytes after a few 100 000-row requests. After a burst of large arrays, <see cref="TrimAfterBurst"/>
/// drops the medium and large pools (they refill from the next requests), so that what a burst
/// took can be given back to the operating system.
/// </summary>
public static class PooledArrays
{
    public const int MaxSmallBytes = 64 << 10;
    public const int MaxMediumBytes = 1 << 20;
    public const int MediumArraysPerSize = 64;
    public const int MaxPooledBytes = 32 << 20;

    /// <summary>What the large pool keeps per size class: 16 arrays of 2 MiB (a 10 000 x 20 anomaly answer
    /// holds 9 of them), down to 1 of 32 MiB (the body of a 10 000 x 20 JSON request is 19 MB).</summary>
    public const int LargeBytesPerSize = 32 << 20;

    private static readonly List<Action> s_trimmers = [];
    private static long s_lastLargeRent;
    private static int s_burst;

    /// <summary>Milliseconds (<see cref="Environment.TickCount64"/>) of the last rent of more than
    /// <see cref="MaxMediumBytes"/>.</summary>
    public static long LastLargeRent => Volatile.Read(ref s_lastLargeRent);

    public static T[] Rent<T>(int length)
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes <= MaxSmallBytes)
        {
            return ArrayPool<T>.Shared.Rent(length);
        }

        if (bytes > MaxMediumBytes)
        {
            Volatile.Write(ref s_lastLargeRent, Environment.TickCount64);
            Volatile.Write(ref s_burst, 1);
        }

        if (bytes <= MaxMediumBytes)
        {
            return Medium<T>.Pool.Rent(length);
        }

        if (bytes <= MaxPooledBytes)
        {
            return Large<T>.For(bytes).Rent(length);
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
            Large<T>.For(bytes).Return(array, clearArray);
        }
    }

    /// <summary>
    /// When large arrays were rented since the last trim and none for <paramref name="quiet"/>: drops
    /// the medium and large pools (arrays still rented go to the new ones when returned) and returns
    /// true, so the caller can have the garbage collector give the memory back. Otherwise false.
    /// </summary>
    public static bool TrimAfterBurst(TimeSpan quiet)
    {
        if (Volatile.Read(ref s_burst) == 0 || Environment.TickCount64 - LastLargeRent < quiet.TotalMilliseconds
            || Interlocked.Exchange(ref s_burst, 0) == 0)
        {
            return false;
        }

        lock (s_trimmers)
        {
            foreach (var trim in s_trimmers)
            {
                trim();
            }
        }

        return true;
    }

    private static void Register(Action trim)
    {
        lock (s_trimmers)
        {
            s_trimmers.Add(trim);
        }
    }

    private static class Medium<T>
    {
        static Medium() => Register(static () => Pool = Create());

        public static ArrayPool<T> Pool { get; private set; } = Create();

        private static ArrayPool<T> Create() => ArrayPool<T>.Create(MaxMediumBytes / Unsafe.SizeOf<T>(), MediumArraysPerSize);
    }

    private static class Large<T>
    {
        static Large() => Register(static () => Pools = Create());

        /// <summary>One pool per power-of-two size class over <see cref="MaxMediumBytes"/>: (1, 2] MiB, (2, 4] MiB, ...</summary>
        private static ArrayPool<T>[] Pools { get; set; } = Create();

        public static ArrayPool<T> For(long bytes) => Pools[BitOperations.Log2((ulong)((bytes - 1) / MaxMediumBytes))];

        private static ArrayPool<T>[] Create()
        {
            var classes = BitOperations.Log2((uint)(MaxPooledBytes / MaxMediumBytes));
            var pools = new ArrayPool<T>[classes];
            for (var c = 0; c < classes; c++)
            {
                var bytes = (long)MaxMediumBytes << (c + 1);
                pools[c] = ArrayPool<T>.Create((int)(bytes / Unsafe.SizeOf<T>()), (int)Math.Max(1, LargeBytesPerSize / bytes));
            }

            return pools;
        }
    }
}
