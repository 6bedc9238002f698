
namespace Gordo.Frames;

/// <summary>
/// The distinct index keys of a column→{key→value} frame, in order of first appearance, as UTF-8
/// bytes in one pooled buffer, with an open-addressing hash table for lookups. No string is
/// allocated per key, and the hash table is pooled too (growing it by new arrays was 29 KB of a
/// 1 000-row request's allocations).
/// </summary>
internal sealed class IndexKeyTable : IDisposable
{
    private byte[] _bytes = PooledArrays.Rent<byte>(4096);
    private int[] _starts = PooledArrays.Rent<int>(128);
    private int[] _lengths = PooledArrays.Rent<int>(128);
    private int[] _hashes = PooledArrays.Rent<int>(128);
    private int[] _buckets = RentBuckets(256);
    private int _bucketCount = 256;
    private int _byteCount;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int row] => _bytes.AsSpan(_starts[row], _lengths[row]);

    /// <summary>The row of <paramref name="key"/>, adding it as a new row when unseen.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        var mask = _bucketCount - 1;
        var slot = hash & mask;
        while (true)
        {
            var row = _buckets[slot];
            if (row < 0)
            {
                break;
            }

            if (_hashes[row] == hash && this[row].SequenceEqual(key))
            {
                return row;
            }

            slot = (slot + 1) & mask;
        }

        var added = Add(key, hash);
        _buckets[slot] = added;
        if (Count * 2 > _bucketCount)
        {
            Rehash();
        }

        return added;
    }

    public void Dispose()
    {
        PooledArrays.Return(_bytes);
        PooledArrays.Return(_starts);
        PooledArrays.Return(_lengths);
        PooledArrays.Return(_hashes);
        PooledArrays.Return(_buckets);
        _bytes = [];
        _starts = _lengths = _hashes = _buckets = [];
        _bucketCount = 0;
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode() & int.MaxValue;
    }

    /// <summary>A pooled array of at least <paramref name="size"/> (a power of two) empty buckets; only the
    /// first <paramref name="size"/> are used, whatever length the pool gives.</summary>
    private static int[] RentBuckets(int size)
    {
        var buckets = PooledArrays.Rent<int>(size);
        buckets.AsSpan(0, size).Fill(-1);
        return buckets;
    }

    private int Add(ReadOnlySpan<byte> key, int hash)
    {
        if (_byteCount + key.Length > _bytes.Length)
        {
            Resize(ref _bytes, Math.Max(_bytes.Length * 2, _byteCount + key.Length));
        }

        if (Count == _starts.Length)
        {
            Resize(ref _starts, Count * 2);
            Resize(ref _lengths, Count * 2);
            Resize(ref _hashes, Count * 2);
        }

        key.CopyTo(_bytes.AsSpan(_byteCount));
        _starts[Count] = _byteCount;
        _lengths[Count] = key.Length;
        _hashes[Count] = hash;
        _byteCount += key.Length;
        return Count++;
    }

    private void Rehash()
    {
        PooledArrays.Return(_buckets);
        _bucketCount *= 2;
        _buckets = RentBuckets(_bucketCount);
        var mask = _bucketCount - 1;
        for (var row = 0; row < Count; row++)
        {
            var slot = _hashes[row] & mask;
            while (_buckets[slot] >= 0)
            {
                slot = (slot + 1) & mask;
            }

            _buckets[slot] = row;
        }
    }

    private static void Resize<T>(ref T[] array, int size)
    {
        var bigger = PooledArrays.Rent<T>(size);
        array.AsSpan().CopyTo(bigger);
        PooledArrays.Return(array);
        array = bigger;
    }
}
