using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gordo.Frames.Json;

/// <summary>
/// Formats a double as Python's <c>repr(float)</c> writes it, which is what gordo's JSON responses
/// hold: the shortest digits that read back to the same double (<see cref="ShortestDecimal"/>),
/// fixed notation with a trailing <c>.0</c> for whole numbers when the decimal point falls within
/// 16 digits (<c>52.0</c>, <c>0.0001</c>), scientific otherwise (<c>1e-05</c>, <c>1.5e+16</c>).
/// The response encoder formats millions of cells, so the digits are made eight at a time in a
/// register and placed with 16-byte moves.
/// </summary>
public static class PythonFloat
{
    /// <summary>The longest output: <c>-2.2250738585072014e-308</c>.</summary>
    public const int MaxLength = 24;

    /// <summary>
    /// The room <see cref="Format"/> writes straight into; with less it formats aside and copies. Its
    /// 16-byte moves may write past the number's end (up to byte 34), so the bytes after it are scratch.
    /// </summary>
    public const int WorkingLength = 40;

    /// <summary>
    /// Writes the repr of a finite <paramref name="value"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> bytes) and returns the number of bytes written.
    /// </summary>
    [SkipLocalsInit]
    public static int Format(double value, Span<byte> destination)
    {
        if (destination.Length >= WorkingLength)
        {
            return FormatInto(value, ref MemoryMarshal.GetReference(destination));
        }

        Span<byte> scratch = stackalloc byte[WorkingLength];
        var length = FormatInto(value, ref MemoryMarshal.GetReference(scratch));
        scratch[..length].CopyTo(destination);
        return length;
    }

    /// <summary>Formats into at least <see cref="WorkingLength"/> bytes at <paramref name="destination"/> (the JSON encoder's cells).</summary>
    [SkipLocalsInit]
    internal static int FormatInto(double value, ref byte destination)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        if ((~bits & 0x7FF0_0000_0000_0000UL) == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinities have no JSON number form.");
        }

        var sign = (int)(bits >> 63);
        destination = (byte)'-';
        ref var start = ref Unsafe.Add(ref destination, sign);
        if ((bits << 1) == 0)
        {
            start = (byte)'0';
            Unsafe.Add(ref start, 1) = (byte)'.';
            Unsafe.Add(ref start, 2) = (byte)'0';
            return sign + 3;
        }

        var digits = ShortestDecimal.Compute(bits, out var exponent);
        var length = DecimalLength(digits);

        // The digits, right-aligned at the end of 24 bytes with leading zeros: text[24 - length..24].
        Span<byte> text = stackalloc byte[40];
        ref var textStart = ref MemoryMarshal.GetReference(text);
        WriteDigits(digits, ref textStart);
        ref var first = ref Unsafe.Add(ref textStart, 24 - length);

        // The decimal point falls after `point` digits.
        var point = exponent + length;
        if (point is > -4 and <= 16)
        {
            if (point > 0 && point < length)
            {
                // 52.310001373291016: the integer digits, the point over the byte after them, the rest.
                Move16(ref first, ref start);
                Unsafe.Add(ref start, point) = (byte)'.';
                Move16(ref Unsafe.Add(ref first, point), ref Unsafe.Add(ref start, point + 1));
                return sign + length + 1;
            }

            if (point <= 0)
            {
                // 0.000123: "0." and up to three zeros, then the digits (a 16-byte move and the 17th).
                Unsafe.WriteUnaligned(ref start, Unsafe.ReadUnaligned<ulong>(ref MemoryMarshal.GetReference("0.000000"u8)));
                ref var after = ref Unsafe.Add(ref start, 2 - point);
                Move16(ref first, ref after);
                Unsafe.Add(ref after, 16) = Unsafe.Add(ref first, 16);
                return sign + 2 - point + length;
            }

            // 52.0, 1000000000000000.0: the digits, zeros up to the point, ".0".
            Move16(ref first, ref start);
            Vector128.Create((byte)'0').StoreUnsafe(ref Unsafe.Add(ref start, length));
            Unsafe.Add(ref start, point) = (byte)'.';
            Unsafe.Add(ref start, point + 1) = (byte)'0';
            return sign + point + 2;
        }

        // 1e-05, 1.5e+16: one digit, the rest after a point, the exponent with at least two digits.
        start = first;
        var position = 1;
        if (length > 1)
        {
            Unsafe.Add(ref start, 1) = (byte)'.';
            Move16(ref Unsafe.Add(ref first, 1), ref Unsafe.Add(ref start, 2));
            position = length + 1;
        }

        var e = point - 1;
        Unsafe.Add(ref start, position++) = (byte)'e';
        Unsafe.Add(ref start, position++) = e < 0 ? (byte)'-' : (byte)'+';
        e = Math.Abs(e);
        if (e >= 100)
        {
            Unsafe.Add(ref start, position++) = (byte)('0' + (e / 100));
            e %= 100;
        }

        Unsafe.Add(ref start, position++) = (byte)('0' + (e / 10));
        Unsafe.Add(ref start, position++) = (byte)('0' + (e % 10));
        return sign + position;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Move16(ref byte source, ref byte destination) =>
        Vector128.LoadUnsafe(ref source).StoreUnsafe(ref destination);

    /// <summary>
    /// Writes all 17 decimal places of <paramref name="value"/> (below 10^17), leading zeros included,
    /// at bytes 7 to 23 of <paramref name="text"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteDigits(ulong value, ref byte text)
    {
        var high = value / 100_000_000;
        var low = (uint)(value - (high * 100_000_000));
        var top = (uint)(high / 100_000_000);
        var middle = (uint)(high - (top * 100_000_000UL));
        Unsafe.Add(ref text, 7) = (byte)('0' + top);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, 8), EightDigits(middle));
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, 16), EightDigits(low));
    }

    /// <summary>
    /// The eight ASCII digits of <paramref name="value"/> (below 10^8), first digit in the lowest byte:
    /// split into two halves of four digits in 32-bit lanes, each into two pairs in 16-bit lanes, each
    /// pair into two digits in bytes, dividing by 100 and 10 with multiply-and-shift in all lanes at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(uint value)
    {
        var halves = (value / 10_000) | ((ulong)(value % 10_000) << 32);
        var hundreds = ((halves * 10_486) >> 20) & 0x0000_007F_0000_007FUL;
        var pairs = hundreds | ((halves - (100 * hundreds)) << 16);
        var tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000FUL;
        var digits = tens | ((pairs - (10 * tens)) << 8);
        digits += 0x3030_3030_3030_3030UL;
        return BitConverter.IsLittleEndian ? digits : BinaryPrimitives.ReverseEndianness(digits);
    }

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
    ];

    /// <summary>The number of decimal digits of a non-zero <paramref name="value"/> below 10^17.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int DecimalLength(ulong value)
    {
        // log10(2) ≈ 1233 / 4096: a first guess from the bit length, one too small at most.
        var guess = ((64 - BitOperations.LeadingZeroCount(value)) * 1233) >> 12;
        return guess + (value >= PowersOf10[guess] ? 1 : 0);
    }
}
