using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gordo.Frames.Json;

/// <summary>
/// The shortest decimal that reads back to a double, and of those the closest (ties to an even last
/// digit): what Python's <c>repr</c> prints. Raffaello Giulietti's Schubfach (2020): with the decimal
/// exponent chosen so the rounding interval is narrower than one step of the next-coarser precision,
/// at most one candidate one digit shorter can lie in it, and three 128 x 64-bit products (the value
/// and the interval's two ends, rounded to odd) decide between it and the two neighbours at full
/// precision. Ryū, which this replaced, needs a loop of divisions to find the same digits.
/// </summary>
internal static class ShortestDecimal
{
    private const int MantissaBits = 52;
    private const ulong SmallestNormalSignificand = 1UL << MantissaBits;
    private const int MinExponent = -1074;
    private const int MinK = -324;
    private const int MaxK = 292;

    // g(k) = floor(10^-k * 2^(125 - floor(log2 10^-k))) + 1, a 126-bit over-estimate of 10^-k, high and
    // low 64 bits interleaved; computed once (a few milliseconds) rather than carried as 1 234 literals.
    private static readonly ulong[] s_g = PowerTable();

    /// <summary>
    /// The digits (no trailing zeros) and decimal exponent of a finite, non-zero double's magnitude;
    /// <paramref name="bits"/> may carry a sign bit, which is ignored.
    /// </summary>
    public static ulong Compute(ulong bits, out int exponent10)
    {
        var fraction = bits & (SmallestNormalSignificand - 1);
        var biased = (int)((bits >> MantissaBits) & 0x7FF);
        ulong c;
        int q;
        if (biased != 0)
        {
            c = SmallestNormalSignificand | fraction;
            q = biased - 1075;
            // Whole numbers below 2^53 are their own shortest digits.
            if (q is < 0 and > -53)
            {
                var whole = c >> -q;
                if (whole << -q == c)
                {
                    return TrimZeros(whole, 0, out exponent10);
                }
            }
        }
        else
        {
            c = fraction;
            q = MinExponent;
        }

        var digits = Closest(c, q, out var k);
        return TrimZeros(digits, k, out exponent10);
    }

    /// <summary>Schubfach's core for <c>c × 2^q</c>: a decimal in the rounding interval, possibly with trailing zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Closest(ulong c, int q, out int k)
    {
        // Interval ends are included when the significand is even (round half to even reads them back).
        var excluded = c & 1;
        var cb = c << 2;
        var cbr = cb + 2;
        ulong cbl;
        if (c != SmallestNormalSignificand || q == MinExponent)
        {
            cbl = cb - 2;
            k = FloorLog10Pow2(q);
        }
        else
        {
            // A power of two: the gap below is half the gap above.
            cbl = cb - 1;
            k = FloorLog10ThreeQuartersPow2(q);
        }

        var h = q + FloorLog2Pow10(-k) + 2;
        var index = 2 * (k - MinK);
        var gHigh = s_g[index];
        var gLow = s_g[index + 1];
        // 4 × the value, and its interval's ends, scaled by 10^-k.
        var vb = RoundToOdd(gHigh, gLow, cb << h);
        var vbl = RoundToOdd(gHigh, gLow, cbl << h);
        var vbr = RoundToOdd(gHigh, gLow, cbr << h);

        var s = vb >> 2;
        var t = s + 1;
        var sp10 = s / 10 * 10;
        var tp10 = sp10 + 10;
        // Which candidates lie in the interval, as 0 or 1: the data decides, so no branches on them.
        var upIn = Bit(vbl + excluded <= sp10 << 2);
        var wpIn = Bit((tp10 << 2) + excluded <= vbr);
        var uIn = Bit(vbl + excluded <= s << 2);
        var wIn = Bit((t << 2) + excluded <= vbr);
        var versusMiddle = (long)(vb - ((s + t) << 1));
        var aboveMiddle = Bit(versusMiddle > 0) | (Bit(versusMiddle == 0) & (s & 1));

        // One digit shorter when exactly one of sp10 and tp10 is in (both cannot be); otherwise s or
        // t = s + 1: the one in the interval, or the closer (the even one at exactly halfway).
        var shorter = upIn ^ wpIn;
        var onlyOne = uIn ^ wIn;
        var full = s + ((onlyOne & wIn) | ((onlyOne ^ 1) & aboveMiddle));
        var mask = 0 - shorter;
        k += (int)shorter;
        return (((s / 10) + wpIn) & mask) | (full & ~mask);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Bit(bool value) => value ? 1UL : 0UL;

    /// <summary>
    /// (g × cp) / 2^127 with the bits shifted out folded into the lowest bit (round to odd). The lowest 64
    /// bits of the product are left out: g's over-estimate lands there, so an exact halfway value still
    /// shows as exact and ties go to even.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong RoundToOdd(ulong gHigh, ulong gLow, ulong cp)
    {
        var lowHigh = Math.BigMul(cp, gLow, out _);
        var highHigh = Math.BigMul(cp, gHigh, out var highLow);
        var middle = highLow + lowHigh;
        highHigh += Bit(middle < highLow);
        return (highHigh << 1) | (middle >> 63) | Bit((middle << 1) != 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong TrimZeros(ulong digits, int exponent, out int exponent10)
    {
        // Most values (17 significant digits) end in a non-zero digit; whole numbers end in many zeros.
        if (digits % 10 == 0)
        {
            while (digits % 100_000_000 == 0)
            {
                digits /= 100_000_000;
                exponent += 8;
            }

            while (digits % 10 == 0)
            {
                digits /= 10;
                exponent++;
            }
        }

        exponent10 = exponent;
        return digits;
    }

    /// <summary>floor(log10(2^q)) for |q| ≤ 5 456 721.</summary>
    internal static int FloorLog10Pow2(int q) => (int)((q * 661_971_961_083L) >> 41);

    /// <summary>floor(log10(3/4 × 2^q)) for |q| ≤ 5 456 721.</summary>
    internal static int FloorLog10ThreeQuartersPow2(int q) => (int)(((q * 661_971_961_083L) - 274_743_187_321L) >> 41);

    /// <summary>floor(log2(10^e)) for |e| ≤ 1 838 394.</summary>
    internal static int FloorLog2Pow10(int e) => (int)((e * 913_124_641_741L) >> 38);

    private static ulong[] PowerTable()
    {
        var table = new ulong[2 * (MaxK - MinK + 1)];
        for (var k = MinK; k <= MaxK; k++)
        {
            var shift = 125 - FloorLog2Pow10(-k);
            BigInteger g;
            if (k <= 0)
            {
                var power = BigInteger.Pow(10, -k);
                g = shift >= 0 ? power << shift : power >> -shift;
            }
            else
            {
                g = (BigInteger.One << shift) / BigInteger.Pow(10, k);
            }

            g += 1;
            table[2 * (k - MinK)] = (ulong)(g >> 64);
            table[(2 * (k - MinK)) + 1] = (ulong)(g & ulong.MaxValue);
        }

        return table;
    }
}
