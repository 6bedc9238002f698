using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Encodings.Web;
using Gordo.Frames.Json;

namespace Gordo.Frames;

/// <summary>
/// Encodes a <see cref="ResultFrame"/> as gordo's <c>dataframe_to_dict</c> + <c>jsonify</c> output:
/// <c>{group: {sub-column: {index key: value}}}</c> with groups and sub-columns sorted, a single
/// unnamed sub-column named after its group (<c>"start": {"start": {...}}</c>), index keys as pandas
/// <c>str(Timestamp)</c> (<c>2020-01-01 00:00:00+00:00</c>) or integers, <c>start</c>/<c>end</c> as ISO
/// strings, numbers as Python's <c>repr(float)</c> (<see cref="PythonFloat"/>) and NaN/±inf as null.
/// </summary>
/// <remarks>
/// A 100-row anomaly response is 5 500 cells, each a key and a number. The bytes are written straight
/// into the output: every row's <c>"key":</c> is formatted once and copied into each column, numbers
/// are formatted in place, and only names are escaped (with the encoder System.Text.Json uses for
/// Gordo's other responses, so the bytes match).
/// </remarks>
public static class FrameJsonWriter
{
    /// <summary>Bytes asked of the output at a time; a cell never needs more than a key and a number.</summary>
    private const int ChunkBytes = 32 * 1024;

    private static readonly JavaScriptEncoder s_encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes <c>{"data": ..., ["time-seconds": ...,] "revision": ...}</c>.</summary>
    public static void WriteResponse(IBufferWriter<byte> output, ResultFrame frame, string? timeSeconds, string revision)
    {
        var emitter = new Emitter(output);
        emitter.Raw("{\"data\":"u8);
        WriteFrame(ref emitter, frame);
        if (timeSeconds is not null)
        {
            emitter.Raw(",\"time-seconds\":"u8);
            emitter.String(timeSeconds);
        }

        emitter.Raw(",\"revision\":"u8);
        emitter.String(revision);
        emitter.Raw("}"u8);
        emitter.Commit();
    }

    /// <summary>gordo's <c>time-seconds</c>: elapsed seconds with four decimals, as a string.</summary>
    public static string FormatTimeSeconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("F4", CultureInfo.InvariantCulture);

    private static void WriteFrame(ref Emitter emitter, ResultFrame frame)
    {
        var rows = frame.RowCount;
        var keys = RowKeys.Encode(frame.Index);
        try
        {
            var entries = new List<(string Name, int Group)>(frame.Groups.Count + 2)
            {
                ("start", -1),
                ("end", -2),
            };
            for (var g = 0; g < frame.Groups.Count; g++)
            {
                entries.Add((frame.Groups[g].Name, g));
            }

            entries.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
            emitter.Raw("{"u8);
            for (var e = 0; e < entries.Count; e++)
            {
                if (e > 0)
                {
                    emitter.Raw(","u8);
                }

                var (name, g) = entries[e];
                switch (g)
                {
                    case -1:
                        WriteTimes(ref emitter, "start"u8, frame, keys, end: false);
                        break;
                    case -2:
                        WriteTimes(ref emitter, "end"u8, frame, keys, end: true);
                        break;
                    default:
                        WriteGroup(ref emitter, frame.Groups[g], keys);
                        break;
                }
            }

            emitter.Raw("}"u8);
        }
        finally
        {
            keys.Dispose();
        }
    }

    private static int? OffsetOf(FrameIndex index, int row) => index.IsTimezoneAware ? index.OffsetMinutes[row] : null;

    private static void WriteTimes(ref Emitter emitter, ReadOnlySpan<byte> name, ResultFrame frame, RowKeys keys, bool end)
    {
        emitter.Raw("\""u8);
        emitter.Raw(name);
        emitter.Raw("\":{\""u8);
        emitter.Raw(name);
        emitter.Raw("\":{"u8);
        var index = frame.Index;
        var timestamps = index.Kind == FrameIndexKind.Timestamp && (!end || frame.Resolution is not null);
        for (var row = 0; row < keys.Count; row++)
        {
            var span = emitter.Reserve(keys.MaxLength + IsoTimestamp.MaxFormattedLength + 4);
            var position = 0;
            if (row > 0)
            {
                span[position++] = (byte)',';
            }

            var key = keys[row];
            key.CopyTo(span[position..]);
            position += key.Length;
            DateTime? clock = timestamps ? index.GetClock(row) : null;
            if (clock is { } start && end)
            {
                var ticks = start.Ticks + frame.Resolution!.Value.Ticks;
                clock = ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks ? null : new DateTime(ticks);
            }

            if (clock is { } time)
            {
                span[position++] = (byte)'"';
                position += IsoTimestamp.FormatIso(time, OffsetOf(index, row), span[position..]);
                span[position++] = (byte)'"';
            }
            else
            {
                "null"u8.CopyTo(span[position..]);
                position += 4;
            }

            emitter.Advance(position);
        }

        emitter.Raw("}}"u8);
    }

    private static void WriteGroup(ref Emitter emitter, ResultColumnGroup group, RowKeys keys)
    {
        emitter.String(group.Name);
        emitter.Raw(":{"u8);
        var subNames = group.SubNames;
        Span<int> order = subNames.Length <= 256 ? stackalloc int[subNames.Length] : new int[subNames.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (order.Length > 1)
        {
            order.Sort((a, b) => string.CompareOrdinal(subNames[a], subNames[b]));
        }

        var cellBytes = keys.MaxLength + PythonFloat.MaxLength + 1;
        for (var c = 0; c < order.Length; c++)
        {
            var column = order[c];
            if (c > 0)
            {
                emitter.Raw(","u8);
            }

            emitter.String(group.IsSingleColumn ? group.Name : subNames[column]);
            emitter.Raw(":{"u8);
            var values = group.Column(column);
            for (var row = 0; row < values.Length; row++)
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

            emitter.Raw("}"u8);
        }

        emitter.Raw("}"u8);
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

    /// <summary>Every row's <c>"key":</c>, formatted once, in one pooled buffer.</summary>
    private readonly struct RowKeys : IDisposable
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
                    length = IsoTimestamp.FormatKey(index.GetClock(row), OffsetOf(index, row), destination);
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

    /// <summary>Writes into the output's spans a chunk at a time; <see cref="Commit"/> advances the last one.</summary>
    private ref struct Emitter(IBufferWriter<byte> output)
    {
        private Span<byte> _span;
        private int _position;

        /// <summary>A span of at least <paramref name="bytes"/> at the current position; say how much was used with <see cref="Advance"/>.</summary>
        public Span<byte> Reserve(int bytes)
        {
            if (_span.Length - _position < bytes)
            {
                Commit();
                _span = output.GetSpan(Math.Max(bytes, ChunkBytes));
            }

            return _span[_position..];
        }

        public void Advance(int bytes) => _position += bytes;

        public void Raw(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Reserve(bytes.Length));
            _position += bytes.Length;
        }

        /// <summary>A JSON string, escaped as System.Text.Json's relaxed encoder escapes it.</summary>
        public void String(string value)
        {
            var utf8Length = Encoding.UTF8.GetByteCount(value);
            var pooled = utf8Length > 256 ? PooledArrays.Rent<byte>(utf8Length) : null;
            try
            {
                Span<byte> utf8 = pooled is null ? stackalloc byte[256] : pooled;
                utf8 = utf8[..Encoding.UTF8.GetBytes(value, utf8)];
                // An escape is at most 6 bytes (\uXXXX) per input byte, plus the quotes.
                var span = Reserve((utf8.Length * 6) + 2);
                span[0] = (byte)'"';
                s_encoder.EncodeUtf8(utf8, span[1..], out _, out var written);
                span[written + 1] = (byte)'"';
                _position += written + 2;
            }
            finally
            {
                if (pooled is not null)
                {
                    PooledArrays.Return(pooled);
                }
            }
        }

        public void Commit()
        {
            if (_position > 0)
            {
                output.Advance(_position);
                _position = 0;
            }

            // A span is only valid until the writer is advanced.
            _span = default;
        }
    }
}
