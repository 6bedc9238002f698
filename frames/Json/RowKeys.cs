using System.Globalization;

namespace Gordo.Frames.Json;

/// <summary>Every row's <c>"key":</c>, formatted once, in one pooled buffer.</summary>
internal readonly struct RowKeys : IDisposable
{
    private readonly byte[] _bytes;
    private readonly int[] _ends;

    private RowKeys(byte[] bytes, int[] ends, int count, int maxLength)
    {
        _bytes = bytes;
        _ends = ends;
        Count = count;
        MaxLength = maxLength;
    }

    public int Count { get; }

    public int MaxLength { get; }

    public ReadOnlySpan<byte> this[int row]
    {
        get
        {
            var start = row == 0 ? 0 : _ends[row - 1];
            return _bytes.AsSpan(start, _ends[row] - start);
        }
    }

    public static RowKeys Encode(FrameIndex index)
    {
        var count = index.Count;
        // Keys are digits and "-: +", which JSON never escapes: "2020-01-01 00:00:00+00:00":
        const int perKey = IsoTimestamp.MaxFormattedLength + 3;
        var bytes = PooledArrays.Rent<byte>(Math.Max(1, count * perKey));
        var ends = PooledArrays.Rent<int>(Math.Max(1, count));
        var position = 0;
        var maxLength = 0;
        for (var row = 0; row < count; row++)
        {
            var start = position;
            bytes[position++] = (byte)'"';
            var destination = bytes.AsSpan(position);
            int length;
            if (index.Kind == FrameIndexKind.Timestamp)
            {
                length = IsoTimestamp.FormatKey(index.GetClock(row), index.IsTimezoneAware ? index.OffsetMinutes[row] : null, destination);
            }
            else
            {
                index.GetInteger(row).TryFormat(destination, out length, default, CultureInfo.InvariantCulture);
            }

            position += length;
            bytes[position++] = (byte)'"';
            bytes[position++] = (byte)':';
            ends[row] = position;
            maxLength = Math.Max(maxLength, position - start);
        }

        return new RowKeys(bytes, ends, count, maxLength);
    }

    public void Dispose()
    {
        PooledArrays.Return(_bytes);
        PooledArrays.Return(_ends);
    }
}
