using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Gordo.Frames.Json;

namespace Gordo.Frames;

/// <summary>
/// The fast path for what gordo clients send: <c>{"X": {column: {key: number | null}}, "y": ...}</c>
/// with plain ASCII names and keys (no escapes). A hand-written scanner reads it without a tokenizer
/// and parses most numbers exactly in place; anything else it sees (another shape, an escape, a
/// repeated name, a syntax error) makes it give up, and the general reader decodes the body — and
/// words any error — from the start. Both build the frame with the same code.
/// </summary>
public static partial class FrameJsonReader
{
    private static readonly ulong[] s_powersOf10Whole =
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
    ];

    private static readonly double[] s_powersOf10 =
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>Decodes the client shape, or returns false (having allocated nothing that leaks) for anything else.</summary>
    internal static bool TryReadClientShape(ReadOnlySpan<byte> body, out RequestFrames? frames) => TryReadClientShape(body, ahead: null, out frames);

    /// <summary>
    /// <see cref="TryReadClientShape(ReadOnlySpan{byte}, out RequestFrames?)"/>, taking the frame that
    /// <paramref name="ahead"/> decoded when this scan reaches it where the helper started.
    /// </summary>
    private static bool TryReadClientShape(ReadOnlySpan<byte> body, LastFrameAhead? ahead, out RequestFrames? frames)
    {
        frames = null;
        var scanner = new Scanner(body);
        if (!scanner.Take((byte)'{'))
        {
            return false;
        }

        DataFrame? x = null, y = null;
        bool sawX = false, sawY = false;
        try
        {
            do
            {
                if (!scanner.TryName(out var name))
                {
                    return false;
                }

                var isX = name.SequenceEqual("X"u8);
                if ((!isX && !name.SequenceEqual("y"u8)) || (isX ? sawX : sawY) || !scanner.Take((byte)':'))
                {
                    return false;
                }

                DataFrame? frame = null;
                if (scanner.TakeNull())
                {
                }
                else if (!isX && ahead is not null && ahead.TryTake(scanner.Position, out frame, out var end))
                {
                    scanner.Position = end;
                }
                else if (!TryReadClientFrame(ref scanner, isX ? "X" : "y", out frame))
                {
                    return false;
                }

                if (isX)
                {
                    (x, sawX) = (frame, true);
                }
                else
                {
                    (y, sawY) = (frame, true);
                }
            }
            while (scanner.Take((byte)','));

            if (!scanner.Take((byte)'}') || !scanner.AtEnd() || x is null)
            {
                return false;
            }

            frames = new RequestFrames(x, y);
            return true;
        }
        finally
        {
            if (frames is null)
            {
                x?.Dispose();
                y?.Dispose();
            }
        }
    }

    /// <summary>The y frame from its opening brace at <paramref name="start"/>, on a helper's thread, and the byte after it.</summary>
    private static (DataFrame? Frame, int End) ReadLastFrame(ReadOnlyMemory<byte> body, int start)
    {
        var scanner = new Scanner(body.Span) { Position = start };
        return TryReadClientFrame(ref scanner, "y", out var frame) ? (frame, scanner.Position) : (null, 0);
    }

    private static bool TryReadClientFrame(ref Scanner scanner, string frameName, out DataFrame? frame)
    {
        frame = null;
        if (!scanner.Take((byte)'{'))
        {
            return false;
        }

        using var builder = new FrameBuilder(MaxCells);
        using var keys = new IndexKeyTable();
        var names = new List<string>();
        HashSet<string>? seen = null; // for wide frames; a few names are compared one by one
        do
        {
            if (!scanner.TryName(out var nameBytes) || !scanner.Take((byte)':') || !scanner.Take((byte)'{'))
            {
                return false;
            }

            var name = Encoding.ASCII.GetString(nameBytes);
            if (names.Count == 16)
            {
                seen = new HashSet<string>(names, StringComparer.Ordinal);
            }

            if (seen is null ? names.Contains(name) : !seen.Add(name))
            {
                return false; // the general reader keeps the last of repeated columns
            }

            var column = names.Count;
            names.Add(name);
            if (scanner.Take((byte)'}'))
            {
                continue; // a column without rows
            }

            var position = 0;
            do
            {
                // Later columns repeat the first one's keys in order: the next one is matched in place,
                // quotes included, without scanning for its end or checking its bytes again.
                int row;
                if (column > 0 && position < keys.Count && scanner.TakeName(keys[position]))
                {
                    row = position;
                }
                else if (scanner.TryName(out var key))
                {
                    row = keys.GetOrAdd(key);
                }
                else
                {
                    return false;
                }

                if (!scanner.Take((byte)':'))
                {
                    return false;
                }

                double value;
                if (scanner.TakeNull())
                {
                    value = double.NaN;
                }
                else if (!scanner.TryNumber(out value))
                {
                    return false;
                }

                if ((long)(row + 1) * (column + 1) > MaxCells)
                {
                    return false;
                }

                builder.Set(row, column, value);
                position++;
            }
            while (scanner.Take((byte)','));

            if (!scanner.Take((byte)'}'))
            {
                return false;
            }
        }
        while (scanner.Take((byte)','));

        if (!scanner.Take((byte)'}') || (long)keys.Count * names.Count > MaxCells)
        {
            return false;
        }

        builder.EnsureShape(keys.Count, names.Count);
        frame = BuildIndexed(builder, [.. names], keys, frameName);
        return true;
    }

    /// <summary>A cursor over the body for the client shape; every method skips JSON whitespace first.</summary>
    private ref struct Scanner(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _at;

        /// <summary>The next byte to read (after whitespace once a method has skipped it).</summary>
        public int Position
        {
            readonly get => _at;
            set => _at = value;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Take(byte token)
        {
            SkipWhitespace();
            if (_at < _body.Length && _body[_at] == token)
            {
                _at++;
                return true;
            }

            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TakeNull()
        {
            SkipWhitespace();
            if (_body.Length - _at >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(_body[_at..]) == 0x6C6C_756E) // "null"
            {
                _at += 4;
                return true;
            }

            return false;
        }

        public bool AtEnd()
        {
            SkipWhitespace();
            return _at == _body.Length;
        }

        /// <summary>The string <paramref name="name"/> exactly (a name already read and checked by <see cref="TryName"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TakeName(ReadOnlySpan<byte> name)
        {
            SkipWhitespace();
            var rest = _body[_at..];
            if (rest.Length < name.Length + 2 || rest[0] != '"' || rest[name.Length + 1] != '"' || !SameBytes(rest.Slice(1, name.Length), name))
            {
                return false;
            }

            _at += name.Length + 2;
            return true;
        }

        /// <summary>Two spans of one length compared in place: a timestamp key (16 to 32 bytes) in two overlapping 16-byte compares.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool SameBytes(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
        {
            if (left.Length is >= 16 and <= 32)
            {
                ref var a = ref MemoryMarshal.GetReference(left);
                ref var b = ref MemoryMarshal.GetReference(right);
                var tail = (nuint)(left.Length - 16);
                return Vector128.LoadUnsafe(ref a) == Vector128.LoadUnsafe(ref b) && Vector128.LoadUnsafe(ref a, tail) == Vector128.LoadUnsafe(ref b, tail);
            }

            return left.SequenceEqual(right);
        }

        /// <summary>A string of printable ASCII without escapes (names and index keys).</summary>
        public bool TryName(out ReadOnlySpan<byte> name)
        {
            name = default;
            if (!Take((byte)'"'))
            {
                return false;
            }

            var rest = _body[_at..];
            var quote = rest.IndexOf((byte)'"');
            if (quote < 0)
            {
                return false;
            }

            name = rest[..quote];
            if (name.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) || name.Contains((byte)'\\'))
            {
                return false;
            }

            _at += quote + 1;
            return true;
        }

        /// <summary>
        /// A JSON number: a client's plain decimals in one pass (<see cref="PlainDecimal"/>) when 32 bytes
        /// are left to read; otherwise, up to 19 significant digits with a power of ten within ±22 and a mantissa
        /// within 2^53 is one exact IEEE operation (Clinger's fast path); other numbers of up to 19
        /// digits go through <see cref="DecimalToDouble"/>; longer ones are parsed by .NET.
        /// </summary>
        public bool TryNumber(out double value)
        {
            SkipWhitespace();
            if (_body.Length - _at >= PlainDecimal.Window && PlainDecimal.TryRead(ref Unsafe.Add(ref MemoryMarshal.GetReference(_body), _at), out var length, out value))
            {
                _at += length;
                return true;
            }

            value = 0;
            var start = _at;
            var body = _body;
            var i = _at;
            var negative = i < body.Length && body[i] == '-';
            if (negative)
            {
                i++;
            }

            ulong mantissa = 0;
            var significant = 0;
            var exponent = 0;
            if (i < body.Length && body[i] == '0')
            {
                i++;
            }
            else if (i < body.Length && body[i] is >= (byte)'1' and <= (byte)'9')
            {
                while (TryDigits(body, i, 19 - significant, out var count, out var digits))
                {
                    mantissa = (mantissa * s_powersOf10Whole[count]) + digits;
                    significant += count;
                    i += count;
                }

                while (i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9')
                {
                    Accumulate(body[i++], ref mantissa, ref significant, ref exponent, fraction: false);
                }
            }
            else
            {
                return false;
            }

            if (i < body.Length && body[i] == '.')
            {
                i++;
                if (i >= body.Length || body[i] is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                while (i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9')
                {
                    // A client's numbers carry 16 or 17 significant digits: most of a fraction in two words at
                    // once, the rest up to eight at a time.
                    if (mantissa != 0 && TrySixteenDigits(body, i, 19 - significant, out var many, out var manyDigits))
                    {
                        mantissa = (mantissa * s_powersOf10Whole[many]) + manyDigits;
                        significant += many;
                        exponent -= many;
                        i += many;
                    }

                    while (mantissa != 0 && TryDigits(body, i, 19 - significant, out var count, out var digits))
                    {
                        mantissa = (mantissa * s_powersOf10Whole[count]) + digits;
                        significant += count;
                        exponent -= count;
                        i += count;
                    }

                    if (i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9')
                    {
                        Accumulate(body[i++], ref mantissa, ref significant, ref exponent, fraction: true);
                    }
                }
            }

            var exact = significant <= 19;
            if (i < body.Length && body[i] is (byte)'e' or (byte)'E')
            {
                i++;
                var exponentNegative = false;
                if (i < body.Length && body[i] is (byte)'+' or (byte)'-')
                {
                    exponentNegative = body[i++] == '-';
                }

                if (i >= body.Length || body[i] is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                var written = 0;
                while (i < body.Length && body[i] is >= (byte)'0' and <= (byte)'9')
                {
                    written = written < 100_000 ? (written * 10) + (body[i] - '0') : written;
                    i++;
                }

                exponent += exponentNegative ? -written : written;
            }

            _at = i;
            if (exact && mantissa <= (1UL << 53) && exponent is >= -22 and <= 22)
            {
                var magnitude = exponent < 0 ? mantissa / s_powersOf10[-exponent] : mantissa * s_powersOf10[exponent];
                value = negative ? -magnitude : magnitude;
                return true;
            }

            if (exact && DecimalToDouble.TryCompute(mantissa, exponent, negative, out value))
            {
                return true;
            }

            return double.TryParse(body[start..i], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        /// <summary>
        /// The digits at <paramref name="at"/>, up to eight and up to <paramref name="room"/>, when there are
        /// eight bytes to read and at least one is a digit, found and converted in one 64-bit word.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TryDigits(ReadOnlySpan<byte> body, int at, int room, out int count, out uint value)
        {
            count = 0;
            value = 0;
            if (body.Length - at < 8 || room <= 0)
            {
                return false;
            }

            var word = BinaryPrimitives.ReadUInt64LittleEndian(body[at..]);
            count = Math.Min(DigitWord.DigitRun(word), room);
            if (count == 0)
            {
                return false;
            }

            value = DigitWord.Value(word, count);
            return true;
        }

        /// <summary>
        /// Eight to sixteen digits at <paramref name="at"/> (up to <paramref name="room"/>), when the first
        /// eight bytes are all digits: the two words are converted independently, so their multiplies overlap.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool TrySixteenDigits(ReadOnlySpan<byte> body, int at, int room, out int count, out ulong value)
        {
            count = 0;
            value = 0;
            if (body.Length - at < 16 || room <= 8)
            {
                return false;
            }

            var first = BinaryPrimitives.ReadUInt64LittleEndian(body[at..]);
            var second = BinaryPrimitives.ReadUInt64LittleEndian(body[(at + 8)..]);
            if (DigitWord.DigitRun(first) < 8)
            {
                return false;
            }

            var more = Math.Min(DigitWord.DigitRun(second), room - 8);
            count = 8 + more;
            value = more == 0 ? DigitWord.Value(first, 8) : (DigitWord.Value(first, 8) * s_powersOf10Whole[more]) + DigitWord.Value(second, more);
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Accumulate(byte digit, ref ulong mantissa, ref int significant, ref int exponent, bool fraction)
        {
            if (mantissa == 0 && digit == '0')
            {
                // A leading zero: not significant, but a fraction's zeros still move the point.
                if (fraction)
                {
                    exponent--;
                }

                return;
            }

            significant++;
            if (significant <= 19)
            {
                mantissa = (mantissa * 10) + (ulong)(digit - '0');
                if (fraction)
                {
                    exponent--;
                }
            }
            else if (!fraction)
            {
                exponent++; // digits beyond 19 are not kept (the number goes to .NET's parser anyway)
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void SkipWhitespace()
        {
            while (_at < _body.Length && _body[_at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                _at++;
            }
        }
    }
}
