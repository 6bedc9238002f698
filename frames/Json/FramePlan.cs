using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gordo.Frames.Json;

/// <summary>
/// A <see cref="ResultFrame"/> cut into <see cref="FrameSection"/>s in gordo's order (groups and
/// sub-columns sorted, <c>start</c> and <c>end</c> among them), each at most <see cref="RowsPerSection"/>
/// rows of one column, and what writes them: every row's <c>"key":</c> is formatted once and copied into
/// each column, numbers are formatted in place as Python's <c>repr(float)</c>, NaN/±inf as null.
/// </summary>
internal sealed class FramePlan : IDisposable
{
    /// <summary>Rows per section: small enough that a section formatted ahead is a few hundred KB.</summary>
    public const int RowsPerSection = 4096;

    private readonly ResultFrame _frame;
    private readonly RowKeys _keys;
    private readonly FrameSection[] _sections;

    public FramePlan(ResultFrame frame)
    {
        _frame = frame;
        _keys = RowKeys.Encode(frame.Index);
        var entries = new List<(string Name, int Group)>(frame.Groups.Count + 2)
        {
            ("start", FrameSection.Start),
            ("end", FrameSection.End),
        };
        for (var g = 0; g < frame.Groups.Count; g++)
        {
            entries.Add((frame.Groups[g].Name, g));
            CellCount += (long)frame.Groups[g].SubNames.Length * frame.RowCount;
        }

        entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        var rows = frame.RowCount;
        var perColumn = Math.Max(1, (rows + RowsPerSection - 1) / RowsPerSection);
        _sections = new FrameSection[(frame.Groups.Sum(static g => g.SubNames.Length) + 2) * perColumn];
        var next = 0;
        for (var e = 0; e < entries.Count; e++)
        {
            var g = entries[e].Group;
            var order = g < 0 ? [0] : SortedColumns(frame.Groups[g].SubNames);
            for (var o = 0; o < order.Length; o++)
            {
                for (var p = 0; p < perColumn; p++)
                {
                    _sections[next++] = new FrameSection(e, g, order[o], o, o == order.Length - 1, p * RowsPerSection, Math.Min(rows, (p + 1) * RowsPerSection));
                }
            }
        }
    }

    public int Count => _sections.Length;

    /// <summary>Numbers in the frame (not counting <c>start</c> and <c>end</c>).</summary>
    public long CellCount { get; }

    /// <summary>Room for section <paramref name="section"/> written on its own: its cells at their longest and the names, plus the emitter's last chunk.</summary>
    public int EstimateBytes(int section)
    {
        var s = _sections[section];
        var names = s.Group < 0 ? 16 : 6 * (_frame.Groups[s.Group].Name.Length + _frame.Groups[s.Group].SubNames[s.Column].Length + 4);
        return ((s.EndRow - s.FirstRow) * CellBytes(s)) + names + JsonEmitter.ChunkBytes;
    }

    public void Write(int section, IBufferWriter<byte> output)
    {
        var emitter = new JsonEmitter(output);
        Write(section, ref emitter);
        emitter.Commit();
    }

    public void Write(int section, ref JsonEmitter emitter)
    {
        var s = _sections[section];
        if (s.OpensColumn)
        {
            if (s.Ordinal == 0)
            {
                // The group opens: `,"name":{` (the first entry has no comma).
                if (s.Entry > 0)
                {
                    emitter.Raw(","u8);
                }

                WriteName(ref emitter, s);
                emitter.Raw(":{"u8);
            }
            else
            {
                emitter.Raw(","u8);
            }

            // A single unnamed sub-column, and start/end, are named after their group.
            if (s.Group < 0 || _frame.Groups[s.Group].IsSingleColumn)
            {
                WriteName(ref emitter, s);
            }
            else
            {
                emitter.String(_frame.Groups[s.Group].SubNames[s.Column]);
            }

            emitter.Raw(":{"u8);
        }

        if (s.Group < 0)
        {
            WriteTimes(ref emitter, s);
        }
        else
        {
            WriteNumbers(ref emitter, s);
        }

        if (s.EndRow == _frame.RowCount)
        {
            emitter.Raw(s.LastColumn ? "}}"u8 : "}"u8);
        }
    }

    public void Dispose() => _keys.Dispose();

    private static int[] SortedColumns(string[] subNames)
    {
        var order = new int[subNames.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (order.Length > 1)
        {
            order.AsSpan().Sort((a, b) => string.CompareOrdinal(subNames[a], subNames[b]));
        }

        return order;
    }

    private int CellBytes(in FrameSection s) =>
        _keys.MaxLength + 1 + (s.Group < 0 ? IsoTimestamp.MaxFormattedLength + 3 : PythonFloat.MaxLength);

    private void WriteName(ref JsonEmitter emitter, in FrameSection s)
    {
        switch (s.Group)
        {
            case FrameSection.Start:
                emitter.Raw("\"start\""u8);
                break;
            case FrameSection.End:
                emitter.Raw("\"end\""u8);
                break;
            default:
                emitter.String(_frame.Groups[s.Group].Name);
                break;
        }
    }

    private void WriteTimes(ref JsonEmitter emitter, in FrameSection s)
    {
        var end = s.Group == FrameSection.End;
        var index = _frame.Index;
        var timestamps = index.Kind == FrameIndexKind.Timestamp && (!end || _frame.Resolution is not null);
        var cellBytes = CellBytes(s);
        for (var row = s.FirstRow; row < s.EndRow; row++)
        {
            var span = emitter.Reserve(cellBytes);
            var position = 0;
            if (row > 0)
            {
                span[position++] = (byte)',';
            }

            var key = _keys[row];
            key.CopyTo(span[position..]);
            position += key.Length;
            DateTime? clock = timestamps ? index.GetClock(row) : null;
            if (clock is { } start && end)
            {
                var ticks = start.Ticks + _frame.Resolution!.Value.Ticks;
                clock = ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks ? null : new DateTime(ticks);
            }

            if (clock is { } time)
            {
                span[position++] = (byte)'"';
                position += IsoTimestamp.FormatIso(time, index.IsTimezoneAware ? index.OffsetMinutes[row] : null, span[position..]);
                span[position++] = (byte)'"';
            }
            else
            {
                "null"u8.CopyTo(span[position..]);
                position += 4;
            }

            emitter.Advance(position);
        }
    }

    private void WriteNumbers(ref JsonEmitter emitter, in FrameSection s)
    {
        var values = _frame.Groups[s.Group].Column(s.Column);
        var cellBytes = CellBytes(s);
        var keys = _keys;
        for (var row = s.FirstRow; row < s.EndRow; row++)
        {
            // A cell is `,"key":number` in room reserved for the longest; the first has no comma.
            ref var cell = ref MemoryMarshal.GetReference(emitter.Reserve(cellBytes));
            cell = (byte)',';
            var position = row > 0 ? 1 : 0;
            position += CopyKey(keys[row], ref Unsafe.Add(ref cell, position));
            var value = values[row];
            if (double.IsFinite(value))
            {
                position += PythonFloat.FormatInto(value, ref Unsafe.Add(ref cell, position));
            }
            else
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref cell, position), Unsafe.ReadUnaligned<uint>(ref MemoryMarshal.GetReference("null"u8)));
                position += 4;
            }

            emitter.Advance(position);
        }
    }

    /// <summary>
    /// Copies a row key (29 bytes for a timestamp) into a reserved cell with two overlapping 16-byte moves
    /// rather than a memmove call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CopyKey(ReadOnlySpan<byte> key, ref byte destination)
    {
        ref var source = ref MemoryMarshal.GetReference(key);
        if (key.Length is >= 16 and <= 32)
        {
            var head = Vector128.LoadUnsafe(ref source);
            var tail = Vector128.LoadUnsafe(ref source, (nuint)(key.Length - 16));
            head.StoreUnsafe(ref destination);
            tail.StoreUnsafe(ref destination, (nuint)(key.Length - 16));
        }
        else
        {
            Unsafe.CopyBlockUnaligned(ref destination, ref source, (uint)key.Length);
        }

        return key.Length;
    }
}
