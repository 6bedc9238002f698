using System.Buffers;

namespace Gordo.Frames;

/// <summary>
/// A frame's row index. Timestamps keep the wall-clock time and UTC offset they were given with
/// (gordo echoes keys as <c>str(Timestamp)</c>, offset included), or no offset when naive.
/// Arrays come from <see cref="ArrayPool{T}"/> and go back on <see cref="Dispose"/>.
/// </summary>
public sealed class FrameIndex : IDisposable
{
    private long[]? _values;
    private short[]? _offsets;

    private FrameIndex(FrameIndexKind kind, int count, long rangeStart, long[]? values, short[]? offsets)
    {
        Kind = kind;
        Count = count;
        RangeStart = rangeStart;
        _values = values;
        _offsets = offsets;
    }

    public FrameIndexKind Kind { get; }

    public int Count { get; }

    /// <summary>First position of a <see cref="FrameIndexKind.Range"/> index.</summary>
    public long RangeStart { get; }

    /// <summary>True for timestamps that carry a UTC offset.</summary>
    public bool IsTimezoneAware => Kind == FrameIndexKind.Timestamp && _offsets is not null;

    /// <summary>Integer labels, or timestamp wall-clock ticks; empty for a range index.</summary>
    public ReadOnlySpan<long> Values => _values is null ? [] : _values.AsSpan(0, Count);

    /// <summary>UTC offsets in minutes of an aware timestamp index; empty otherwise.</summary>
    public ReadOnlySpan<short> OffsetMinutes => _offsets is null ? [] : _offsets.AsSpan(0, Count);

    public static FrameIndex Range(int count, long start = 0) => new(FrameIndexKind.Range, count, start, null, null);

    /// <summary>Takes ownership of a pooled array of integer labels.</summary>
    public static FrameIndex Integers(long[] pooledValues, int count) => new(FrameIndexKind.Integer, count, 0, pooledValues, null);

    /// <summary>Takes ownership of pooled wall-clock ticks and, for an aware index, pooled offsets in minutes.</summary>
    public static FrameIndex Timestamps(long[] pooledTicks, short[]? pooledOffsets, int count) =>
        new(FrameIndexKind.Timestamp, count, 0, pooledTicks, pooledOffsets);

    /// <summary>The integer label of row <paramref name="row"/> (range or integer index).</summary>
    public long GetInteger(int row) => Kind switch
    {
        FrameIndexKind.Range => RangeStart + row,
        FrameIndexKind.Integer => _values![row],
        _ => throw new InvalidOperationException("A timestamp index has no integer labels."),
    };

    /// <summary>The timestamp of row <paramref name="row"/>: its wall-clock time and, when aware, its offset.</summary>
    public DateTime GetClock(int row) => Kind == FrameIndexKind.Timestamp
        ? new DateTime(_values![row], DateTimeKind.Unspecified)
        : throw new InvalidOperationException("The index holds no timestamps.");

    /// <summary>The UTC offset of row <paramref name="row"/>, or null for a naive index.</summary>
    public TimeSpan? GetOffset(int row) => _offsets is null ? null : TimeSpan.FromMinutes(_offsets[row]);

    /// <summary>A copy of the last <paramref name="count"/> rows (pandas <c>index[-count:]</c>).</summary>
    public FrameIndex Tail(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        var skip = Count - count;
        switch (Kind)
        {
            case FrameIndexKind.Range:
                return Range(count, RangeStart + skip);
            case FrameIndexKind.Integer:
                {
                    var values = PooledArrays.Rent<long>(Math.Max(count, 1));
                    _values.AsSpan(skip, count).CopyTo(values);
                    return Integers(values, count);
                }

            default:
                {
                    var ticks = PooledArrays.Rent<long>(Math.Max(count, 1));
                    _values.AsSpan(skip, count).CopyTo(ticks);
                    short[]? offsets = null;
                    if (_offsets is not null)
                    {
                        offsets = PooledArrays.Rent<short>(Math.Max(count, 1));
                        _offsets.AsSpan(skip, count).CopyTo(offsets);
                    }

                    return Timestamps(ticks, offsets, count);
                }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _values, null) is { } values)
        {
            PooledArrays.Return(values);
        }

        if (Interlocked.Exchange(ref _offsets, null) is { } offsets)
        {
            PooledArrays.Return(offsets);
        }
    }
}
