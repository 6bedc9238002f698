
namespace Gordo.Frames;

/// <summary>
/// The distinct index keys of a column→{key→value} frame, in order of first appearance, as UTF-8
/// bytes in one pooled buffer, with an open-addressing hash table for lookups. No string is
/// allocated per key.
/// </summary>
internal sealed class IndexKeyTable : IDisposable
{
    private byte[] _bytes = PooledArrays.Rent<byte>(4096);
    private int[] _starts = PooledArrays.Rent<int>(128);
    private int[] _lengths = PooledArrays.Rent<int>(128);
    private int[] _hashes = PooledArrays.Rent<int>(128);
    private int[] _buckets = CreateBuckets(256);
    private int _byteCount;

    public int Count { get; private set; }

    public ReadOnlySpan<byte> this[int row] => _bytes.AsSpan(_starts[row], _lengths[row]);

    /// <summary>The row of <paramref name="key"/>, adding it as a new row when unseen.</summary>
    public int GetOrAdd(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        var mask = _buckets.Length - 1;
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
        if (Count * 2 > _buckets.Length)
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
        _bytes = [];
        _starts = _lengths = _hashes = [];
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode() & int.MaxValue;
    }

    private static int[] CreateBuckets(int size)
    {
        var buckets = new int[size];
        buckets.AsSpan().Fill(-1);
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
        _buckets = CreateBuckets(_buckets.Length * 2);
        var mask = _buckets.Length - 1;
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
