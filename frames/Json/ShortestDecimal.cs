using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gordo.Frames.Json;

/// <summary>
/// The shortest decimal that reads back to a double, and of those the closest (ties to an even last
/// digit): what Python's <c>repr</c> prints. With the decimal exponent k = floor(log10 2^q) of Raffaello
/// Giulietti's Schubfach (2020) the rounding interval is narrower than one step of 10^(k+1), so at most
/// one candidate one digit shorter lies in it, and the closest at 10^k always does.
/// <para>
/// Most values take one 128 x 64-bit product (after Xiang JunBo's idea in Żmij): the value scaled by
/// 10^-(k+1) as an integer part (the shorter candidate) and a 64-bit fraction, which with the interval's
/// half width at that scale says whether the candidate or the next one up is in, and otherwise gives the
/// last digit. The product is within two units of the fraction's last bit of the exact value; when a
/// comparison or the rounding of that digit is closer than that, Schubfach's exact products decide.
/// </para>
/// </summary>
internal static class ShortestDecimal
{
    /// <summary>The places of <see cref="Compute"/>'s result: 10^16 ≤ result &lt; 10^17.</summary>
    public const int Places = 17;

    private const int MantissaBits = 52;
    private const ulong SmallestNormalSignificand = 1UL << MantissaBits;
    private const int MinExponent = -1074;
    private const ulong TenToThe16 = 10_000_000_000_000_000UL;
    private const int MinK = -324;

    // One past Schubfach's own k range: the scaled path reads g(k + 1).
    private const int MaxK = 293;

    // Where the scaled product's integer part starts: bits above 64 + 9. Nine keeps c << h within 64 bits.
    private const int FractionShift = 9;

    // The scaled path's comparisons are trusted only this far (in units of the fraction's last bit) from
    // a tie; the product's error is below 2, and below 20 once multiplied by ten for the last digit.
    private const ulong Margin = 16;
    private const ulong DigitMargin = 256;

    // g(k) = floor(10^-k * 2^(125 - floor(log2 10^-k))) + 1, a 126-bit over-estimate of 10^-k, high and
    // low 64 bits interleaved; computed once (a few milliseconds) rather than carried as 1 236 literals.
    private static readonly ulong[] s_g = PowerTable();

    /// <summary>
    /// The shortest digits of a finite, non-zero double's magnitude scaled to exactly 17 places (trailing
    /// zeros after the significant ones), and the decimal exponent of the last place;
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
                    return Widen(whole, 0, out exponent10);
                }
            }

            // A power of two's interval is lopsided (the gap below is half the gap above): Schubfach's.
            if (fraction != 0 && TryScaled(c, q, out var places, out exponent10))
            {
                return places;
            }
        }
        else
        {
            c = fraction;
            q = MinExponent;
        }

        var digits = Closest(c, q, out var k);
        return Widen(digits, k, out exponent10);
    }

    /// <summary>
    /// The shortest digits of a normal <c>c × 2^q</c> (c not a power of two) at 17 places from one product,
    /// or false when the product is too close to a decision to make it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryScaled(ulong c, int q, out ulong places, out int exponent10)
    {
        var k = FloorLog10Pow2(q);
        ref var g = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_g), 2 * (k + 1 - MinK));
        var gHigh = g;
        var gLow = Unsafe.Add(ref g, 1);

        // x = c × 2^q × 10^-(k+1), with 64 fraction bits: the top 128 bits of (c << h) × g, shifted by 9.
        // h is 8 to 11: q + floor(log2 10^-(k+1)) is -4 to -1.
        var h = FractionShift + 3 + q + FloorLog2Pow10(-(k + 1));
        var cp = c << h;
        var product = Math.BigMul(cp, gHigh) + (Math.BigMul(cp, gLow) >> 64);
        var high = (ulong)(product >> 64);
        var integral = high >> FractionShift;
        var fraction = (high << (64 - FractionShift)) | ((ulong)product >> FractionShift);
        // Half the interval, 2^(q-1) × 10^-(k+1), in the same units: below one half, at least 0.05.
        var halfWidth = ((gHigh << 2) | (gLow >> 62)) >> (FractionShift + 3 - h);
        var up = fraction + halfWidth;
        var tenths = Math.BigMul(fraction, 10UL);
        var digit = (ulong)(tenths >> 64);
        var belowDigit = (ulong)tenths;

        // Too close to call: x within the margin of an integer, of either end of the interval, or its
        // next digit within it of a half.
        var close = Bit(halfWidth - fraction + Margin < 2 * Margin) | Bit(up + Margin < 2 * Margin)
            | Bit(fraction + Margin < 2 * Margin) | Bit(belowDigit - (1UL << 63) + DigitMargin < 2 * DigitMargin);

        // The shorter candidate when it or the next one up is in the interval (both cannot be); otherwise
        // the closest at 10^k. Both as 16 or 17 places at 10^k, then widened to 17 if 16.
        var nextUp = Bit(up < fraction);
        var shorter = 0 - (nextUp | Bit(halfWidth > fraction));
        var atK = (((integral + nextUp) * 10) & shorter) | (((integral * 10) + digit + (belowDigit >> 63)) & ~shorter);
        var narrow = Bit(atK < TenToThe16);
        places = atK * (1 + (9 * narrow));
        exponent10 = k - (int)narrow;
        return close == 0;
    }

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000,
        10_000_000_000, 100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000,
        1_000_000_000_000_000, 10_000_000_000_000_000, 100_000_000_000_000_000,
    ];

    /// <summary>Non-zero digits below 10^17 at 10^<paramref name="exponent"/>, scaled to 17 places.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Widen(ulong digits, int exponent, out int exponent10)
    {
        // log10(2) ≈ 1233 / 4096: a first guess at the length from the bit length, one too small at most.
        var guess = ((64 - BitOperations.LeadingZeroCount(digits)) * 1233) >> 12;
        var length = guess + (digits >= PowersOf10[guess] ? 1 : 0);
        exponent10 = exponent - (Places - length);
        return digits * PowersOf10[Places - length];
    }

    /// <summary>
    /// Schubfach's core for <c>c × 2^q</c>: a decimal in the rounding interval, possibly with trailing
    /// zeros. Exact for every double; out of line, as only subnormals, powers of two and close calls need it.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
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

    /// <summary>floor(log10(2^q)) for |q| ≤ 5 456 721.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int FloorLog10Pow2(int q) => (int)((q * 661_971_961_083L) >> 41);

    /// <summary>floor(log10(3/4 × 2^q)) for |q| ≤ 5 456 721.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int FloorLog10ThreeQuartersPow2(int q) => (int)(((q * 661_971_961_083L) - 274_743_187_321L) >> 41);

    /// <summary>floor(log2(10^e)) for |e| ≤ 1 838 394.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
