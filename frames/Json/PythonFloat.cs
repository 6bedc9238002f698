using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gordo.Frames.Json;

/// <summary>
/// Formats a double as Python's <c>repr(float)</c> writes it, which is what gordo's JSON responses
/// hold: the shortest digits that read back to the same double (Ulf Adams' Ryū algorithm, 2018),
/// fixed notation with a trailing <c>.0</c> for whole numbers when the decimal point falls within
/// 16 digits (<c>52.0</c>, <c>0.0001</c>), scientific otherwise (<c>1e-05</c>, <c>1.5e+16</c>).
/// The response encoder formats millions of cells; .NET's general formatter (Grisu with a Dragon4
/// fallback, through a char buffer) cost 40 % of a 100-row anomaly request's CPU.
/// </summary>
public static class PythonFloat
{
    /// <summary>The longest output: <c>-2.2250738585072014e-308</c>.</summary>
    public const int MaxLength = 24;

    private const int MantissaBits = 52;
    private const int ExponentBits = 11;
    private const int Bias = 1023;
    private const int Pow5InvBitCount = 125;
    private const int Pow5BitCount = 125;
    private const int Pow5InvTableSize = 342;
    private const int Pow5TableSize = 326;

    // 5^-q and 5^i as 125-bit fixed-point numbers, low and high 64 bits interleaved; computed once
    // (a few milliseconds) rather than carried as 1 300 literals.
    private static readonly ulong[] s_pow5InvSplit = InverseTable();
    private static readonly ulong[] s_pow5Split = PowerTable();

    /// <summary>
    /// Writes the repr of a finite <paramref name="value"/> into <paramref name="destination"/> (at least
    /// <see cref="MaxLength"/> bytes) and returns the number of bytes written.
    /// </summary>
    public static int Format(double value, Span<byte> destination)
    {
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var negative = (bits >> 63) != 0;
        var mantissa = bits & ((1UL << MantissaBits) - 1);
        var exponent = (int)((bits >> MantissaBits) & ((1U << ExponentBits) - 1));
        if (exponent == (1 << ExponentBits) - 1)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinities have no JSON number form.");
        }

        var position = 0;
        if (negative)
        {
            destination[position++] = (byte)'-';
        }

        if (exponent == 0 && mantissa == 0)
        {
            destination[position] = (byte)'0';
            destination[position + 1] = (byte)'.';
            destination[position + 2] = (byte)'0';
            return position + 3;
        }

        var (digits, exponent10) = Shortest(mantissa, exponent);
        return position + Write(digits, exponent10, destination[position..]);
    }

    /// <summary>Ryū's d2d: the shortest decimal <c>digits × 10^exponent</c> that rounds to the double.</summary>
    private static (ulong Digits, int Exponent) Shortest(ulong ieeeMantissa, int ieeeExponent)
    {
        int e2;
        ulong m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - Bias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = ieeeExponent - Bias - MantissaBits - 2;
            m2 = (1UL << MantissaBits) | ieeeMantissa;
        }

        var acceptBounds = (m2 & 1) == 0;
        var mv = 4 * m2;
        var mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        ulong vr, vp, vm;
        int e10;
        var vmIsTrailingZeros = false;
        var vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            var q = Log10Pow2(e2) - (e2 > 3 ? 1 : 0);
            e10 = q;
            var k = Pow5InvBitCount + Pow5Bits(q) - 1;
            var i = -e2 + q + k;
            vr = MulShiftAll(m2, s_pow5InvSplit, q, i, out vp, out vm, mmShift);
            if (q <= 21)
            {
                if (mv % 5 == 0)
                {
                    vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                }
                else if (acceptBounds)
                {
                    vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                }
                else
                {
                    vp -= MultipleOfPowerOf5(mv + 2, q) ? 1UL : 0UL;
                }
            }
        }
        else
        {
            var q = Log10Pow5(-e2) - (-e2 > 1 ? 1 : 0);
            e10 = q + e2;
            var i = -e2 - q;
            var k = Pow5Bits(i) - Pow5BitCount;
            var j = q - k;
            vr = MulShiftAll(m2, s_pow5Split, i, j, out vp, out vm, mmShift);
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds)
                {
                    vmIsTrailingZeros = mmShift == 1;
                }
                else
                {
                    vp--;
                }
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << q) - 1)) == 0;
            }
        }

        var removed = 0;
        ulong lastRemovedDigit = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            while (vp / 10 > vm / 10)
            {
                vmIsTrailingZeros &= vm % 10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }

            if (vmIsTrailingZeros)
            {
                while (vm % 10 == 0)
                {
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vr % 10;
                    vr /= 10;
                    vp /= 10;
                    vm /= 10;
                    removed++;
                }
            }

            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
            {
                lastRemovedDigit = 4; // exactly halfway: round to even
            }

            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
        }
        else
        {
            var roundUp = false;
            if (vp / 100 > vm / 100)
            {
                roundUp = vr % 100 >= 50;
                vr /= 100;
                vp /= 100;
                vm /= 100;
                removed += 2;
            }

            while (vp / 10 > vm / 10)
            {
                roundUp = vr % 10 >= 5;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }

            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }

        return (output, e10 + removed);
    }

    /// <summary>Python's layout of <c>digits × 10^exponent</c> (CPython's <c>format_float_short</c>, mode 'r').</summary>
    [SkipLocalsInit]
    private static int Write(ulong digits, int exponent, Span<byte> destination)
    {
        var length = DecimalLength(digits);
        var point = exponent + length;
        if (point > 0 && point < length && point <= 16)
        {
            // The common case (52.310001373291016): the digits go straight to their place, one byte
            // to the right, and the integer digits move back over the point's slot.
            WriteDigits(digits, destination.Slice(1, length));
            for (var i = 0; i < point; i++)
            {
                destination[i] = destination[i + 1];
            }

            destination[point] = (byte)'.';
            return length + 1;
        }

        Span<byte> text = stackalloc byte[20];
        WriteDigits(digits, text[..length]);

        // The decimal point falls after `point` digits.
        var position = 0;
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
            {
                destination[position++] = (byte)'0';
                destination[position++] = (byte)'.';
                for (var i = point; i < 0; i++)
                {
                    destination[position++] = (byte)'0';
                }

                text[..length].CopyTo(destination[position..]);
                return position + length;
            }

            if (point >= length)
            {
                text[..length].CopyTo(destination);
                position = length;
                for (var i = length; i < point; i++)
                {
                    destination[position++] = (byte)'0';
                }

                destination[position++] = (byte)'.';
                destination[position++] = (byte)'0';
                return position;
            }

            text[..point].CopyTo(destination);
            destination[point] = (byte)'.';
            text[point..length].CopyTo(destination[(point + 1)..]);
            return length + 1;
        }

        destination[position++] = text[0];
        if (length > 1)
        {
            destination[position++] = (byte)'.';
            text[1..length].CopyTo(destination[position..]);
            position += length - 1;
        }

        destination[position++] = (byte)'e';
        var e = point - 1;
        destination[position++] = e < 0 ? (byte)'-' : (byte)'+';
        e = Math.Abs(e);
        if (e >= 100)
        {
            destination[position++] = (byte)('0' + (e / 100));
            e %= 100;
        }

        destination[position++] = (byte)('0' + (e / 10));
        destination[position++] = (byte)('0' + (e % 10));
        return position;
    }

    /// <summary>Writes the decimal digits of <paramref name="value"/> (at most 17) right to left, two at a time.</summary>
    private static void WriteDigits(ulong value, Span<byte> text)
    {
        var i = text.Length;
        if ((value >> 32) != 0)
        {
            // At most 17 digits: one split by 10^8 leaves a quotient that fits 32 bits.
            var quotient = value / 100_000_000;
            var low = (uint)(value - (quotient * 100_000_000));
            value = quotient;
            WritePair(text, i - 2, low % 100);
            WritePair(text, i - 4, (low / 100) % 100);
            WritePair(text, i - 6, (low / 10_000) % 100);
            WritePair(text, i - 8, low / 1_000_000);
            i -= 8;
        }

        var rest = (uint)value;
        while (rest >= 100)
        {
            WritePair(text, i - 2, rest % 100);
            rest /= 100;
            i -= 2;
        }

        if (rest >= 10)
        {
            WritePair(text, i - 2, rest);
        }
        else
        {
            text[i - 1] = (byte)('0' + rest);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WritePair(Span<byte> text, int at, uint pair)
    {
        var table = PairDigits;
        text[at] = table[(int)(2 * pair)];
        text[at + 1] = table[(int)(2 * pair) + 1];
    }

    private static ReadOnlySpan<byte> PairDigits =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    private static int DecimalLength(ulong v) =>
        v >= 10000000000000000UL ? 17 : v >= 1000000000000000UL ? 16 : v >= 100000000000000UL ? 15 : v >= 10000000000000UL ? 14
        : v >= 1000000000000UL ? 13 : v >= 100000000000UL ? 12 : v >= 10000000000UL ? 11 : v >= 1000000000UL ? 10
        : v >= 100000000UL ? 9 : v >= 10000000UL ? 8 : v >= 1000000UL ? 7 : v >= 100000UL ? 6 : v >= 10000UL ? 5
        : v >= 1000UL ? 4 : v >= 100UL ? 3 : v >= 10UL ? 2 : 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulShiftAll(ulong m, ulong[] table, int index, int j, out ulong vp, out ulong vm, uint mmShift)
    {
        var low = table[2 * index];
        var high = table[(2 * index) + 1];
        vp = MulShift(4 * m + 2, low, high, j);
        vm = MulShift(4 * m - 1 - mmShift, low, high, j);
        return MulShift(4 * m, low, high, j);
    }

    /// <summary>(m × (high·2^64 + low)) >> j, for 64 &lt; j &lt; 128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulShift(ulong m, ulong low, ulong high, int j)
    {
        var high0 = Math.BigMul(m, low, out _);
        var high1 = Math.BigMul(m, high, out var low1);
        var sum = high0 + low1;
        if (sum < high0)
        {
            high1++;
        }

        var shift = j - 64;
        return (high1 << (64 - shift)) | (sum >> shift);
    }

    private static bool MultipleOfPowerOf5(ulong value, int p)
    {
        var count = 0;
        while (value % 5 == 0)
        {
            value /= 5;
            count++;
        }

        return count >= p;
    }

    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    private static int Log10Pow2(int e) => (int)(((uint)e * 78913) >> 18);

    private static int Log10Pow5(int e) => (int)(((uint)e * 732923) >> 20);

    private static ulong[] InverseTable()
    {
        var table = new ulong[2 * Pow5InvTableSize];
        for (var i = 0; i < Pow5InvTableSize; i++)
        {
            var pow = BigInteger.Pow(5, i);
            var j = (int)pow.GetBitLength() - 1 + Pow5InvBitCount;
            Split((BigInteger.One << j) / pow + 1, table, i);
        }

        return table;
    }

    private static ulong[] PowerTable()
    {
        var table = new ulong[2 * Pow5TableSize];
        for (var i = 0; i < Pow5TableSize; i++)
        {
            var pow = BigInteger.Pow(5, i);
            var length = (int)pow.GetBitLength();
            Split(length > Pow5BitCount ? pow >> (length - Pow5BitCount) : pow << (Pow5BitCount - length), table, i);
        }

        return table;
    }

    private static void Split(BigInteger value, ulong[] table, int index)
    {
        table[2 * index] = (ulong)(value & ulong.MaxValue);
        table[(2 * index) + 1] = (ulong)(value >> 64);
    }
}
