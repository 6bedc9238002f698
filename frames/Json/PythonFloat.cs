using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gordo.Frames.Json;

/// <summary>
/// Formats a double as Python's <c>repr(float)</c> writes it, which is what gordo's JSON responses
/// hold: the shortest digits that read back to the same double (<see cref="ShortestDecimal"/>),
/// fixed notation with a trailing <c>.0</c> for whole numbers when the decimal point falls within
/// 16 digits (<c>52.0</c>, <c>0.0001</c>), scientific otherwise (<c>1e-05</c>, <c>1.5e+16</c>).
/// The response encoder formats millions of cells, so the 16 digits after the first are made in one
/// vector register, all lanes at once, and placed with one shuffle and one 16-byte store.
/// </summary>
public static class PythonFloat
{
    /// <summary>The longest output: <c>-2.2250738585072014e-308</c>.</summary>
    public const int MaxLength = 24;

    private const ulong TenToThe16 = 10_000_000_000_000_000UL;

    /// <summary>
    /// Writes the repr of a finite <paramref name="value"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> bytes; its 16-byte stores may leave scratch in them past the number) and
    /// returns the number of bytes written.
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength, nameof(destination));
        return FormatInto(value, ref MemoryMarshal.GetReference(destination));
    }

    /// <summary>Formats into at least <see cref="MaxLength"/> bytes at <paramref name="destination"/> (the JSON encoder's cells).</summary>
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

        // 17 places: the first alone, the other 16 as a vector of digits (byte j holds place j + 1).
        var places = ShortestDecimal.Compute(bits, out var exponent);
        var top = places / TenToThe16;
        var rest = places - (top * TenToThe16);
        var high = (uint)(rest / 100_000_000);
        var low = (uint)(rest - (high * 100_000_000UL));
        var digits = SixteenDigits(high, low);
        // The significant digits end before the trailing zeros (the first place is never zero).
        var zeros = Vector128.Equals(digits, Vector128<byte>.Zero).ExtractMostSignificantBits();
        var length = ShortestDecimal.Places - BitOperations.LeadingZeroCount(~(zeros << 16));
        var text = digits + Vector128.Create((byte)'0');
        var first = (byte)('0' + top);

        // The decimal point falls after `point` digits.
        var point = exponent + ShortestDecimal.Places;
        start = first;
        if (point is > -4 and <= 16)
        {
            if (point > 0 && point < length)
            {
                // 52.310001373291016: the 16 spread apart at the point, which overwrites the zero left there.
                var order = Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(PointShuffles), (nuint)(16 * point));
                var spread = Ssse3.IsSupported ? Ssse3.Shuffle(text, order) : Vector128.Shuffle(text, order);
                spread.StoreUnsafe(ref Unsafe.Add(ref start, 1));
                Unsafe.Add(ref start, point) = (byte)'.';
                Unsafe.Add(ref start, 17) = text.GetElement(15);
                return sign + length + 1;
            }

            if (point <= 0)
            {
                // 0.000123: "0." and up to three zeros, then the digits.
                Unsafe.WriteUnaligned(ref start, Unsafe.ReadUnaligned<ulong>(ref MemoryMarshal.GetReference("0.000000"u8)));
                ref var after = ref Unsafe.Add(ref start, 2 - point);
                after = first;
                text.StoreUnsafe(ref Unsafe.Add(ref after, 1));
                return sign + 2 - point + length;
            }

            // 52.0, 1000000000000000.0: the digits with zeros up to the point, then ".0".
            text.StoreUnsafe(ref Unsafe.Add(ref start, 1));
            Unsafe.Add(ref start, point) = (byte)'.';
            Unsafe.Add(ref start, point + 1) = (byte)'0';
            return sign + point + 2;
        }

        // 1e-05, 1.5e+16: one digit, the rest after a point, the exponent with at least two digits.
        var position = 1;
        if (length > 1)
        {
            Unsafe.Add(ref start, 1) = (byte)'.';
            text.StoreUnsafe(ref Unsafe.Add(ref start, 2));
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

    /// <summary>
    /// Row p (a point after p digits, 1 to 16) moves the 16 digits after the first into place: bytes
    /// before p - 1 stay, byte p - 1 is zeroed (the point's), the rest move up one.
    /// </summary>
    private static ReadOnlySpan<byte> PointShuffles =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        0x80, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 0x80, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 0x80, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 0x80, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 0x80, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 0x80, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 0x80, 6, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 0x80, 7, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 0x80, 8, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 0x80, 9, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x80, 10, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x80, 11, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x80, 12, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x80, 13, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x80, 14,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0x80,
    ];

    /// <summary>
    /// The 16 digit values of <paramref name="high"/> and <paramref name="low"/> (each below 10^8), most
    /// significant first: each split in two of four digits, those in two of two, those in two digits,
    /// dividing with multiply-high and shift in all lanes at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> SixteenDigits(uint high, uint low)
    {
        if (!Sse2.IsSupported)
        {
            return Vector128.Create(EightDigits(high), EightDigits(low)).AsByte();
        }

        // abcdefgh in a 64-bit lane to abcd | efgh << 32, with x / 10^4 as x * ceil(2^40 / 10^4) >> 40.
        var eights = Vector128.Create((ulong)high, low);
        var quotient = Sse2.ShiftRightLogical(Sse2.Multiply(eights.AsUInt32(), Vector128.Create(109_951_163U)), 40);
        var remainder = eights - Sse2.Multiply(quotient.AsUInt32(), Vector128.Create(10_000U));
        var fours = (quotient | (remainder << 32)).AsUInt16();
        // abcd in a 32-bit lane to ab | cd << 16, with y / 100 as y * 5243 >> 19.
        var hundreds = Sse2.ShiftRightLogical(Sse2.MultiplyHigh(fours, Vector128.Create((ushort)5243)), 3);
        var pairs = (hundreds.AsUInt32() | ((fours - (hundreds * 100)).AsUInt32() << 16)).AsUInt16();
        // ab in a 16-bit lane to a | b << 8, with z / 10 as z * 6554 >> 16: z * 256 - (z / 10) * (10 * 256 - 1).
        var tens = Sse2.MultiplyHigh(pairs, Vector128.Create((ushort)6554));
        return ((pairs << 8) - (tens * 2559)).AsByte();
    }

    /// <summary>
    /// The eight digit values of <paramref name="value"/> (below 10^8), first digit in the lowest byte,
    /// where there is no SSE2: the same splits as <see cref="SixteenDigits"/> in the lanes of one 64-bit word.
    /// </summary>
    private static ulong EightDigits(uint value)
    {
        var upper = value / 10_000;
        var halves = upper | ((ulong)(value - (upper * 10_000)) << 32);
        var hundreds = ((halves * 10_486) >> 20) & 0x0000_007F_0000_007FUL;
        var pairs = hundreds | ((halves - (100 * hundreds)) << 16);
        var tens = ((pairs * 103) >> 10) & 0x000F_000F_000F_000FUL;
        var digits = tens | ((pairs - (10 * tens)) << 8);
        return BitConverter.IsLittleEndian ? digits : BinaryPrimitives.ReverseEndianness(digits);
    }
}
