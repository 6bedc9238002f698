using System.Numerics;

namespace Gordo.Frames.Json;

/// <summary>
/// The correctly rounded double nearest <c>w × 10^q</c> for a decimal mantissa of up to 19 digits,
/// by the Eisel-Lemire algorithm (Lemire, "Number Parsing at a Gigabyte per Second", 2021, as in
/// fast_float): one or two 64×128-bit products against a truncated power of five. Python writes
/// sensor values with up to 17 significant digits, beyond Clinger's exact fast path (2^53).
/// Returns false in the rare cases the algorithm cannot decide; the caller then parses the text.
/// </summary>
public static class DecimalToDouble
{
    private const int SmallestPowerOfTen = -342;
    private const int LargestPowerOfTen = 308;

    // 5^q for q in [-342, 308], truncated to 128 bits with the top bit set; high and low 64 bits interleaved.
    private static readonly ulong[] s_powersOfFive = PowersOfFive();

    public static bool TryCompute(ulong w, int q, bool negative, out double value)
    {
        value = 0;
        if (w == 0 || q < SmallestPowerOfTen)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }

        if (q > LargestPowerOfTen)
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        var lz = BitOperations.LeadingZeroCount(w);
        w <<= lz;
        var index = 2 * (q - SmallestPowerOfTen);
        var high = Math.BigMul(w, s_powersOfFive[index], out var low);
        const ulong precisionMask = ulong.MaxValue >> 55;
        if ((high & precisionMask) == precisionMask)
        {
            var secondHigh = Math.BigMul(w, s_powersOfFive[index + 1], out _);
            var sum = low + secondHigh;
            if (sum < low)
            {
                high++;
            }

            low = sum;
        }

        if (low == ulong.MaxValue && (q < -27 || q > 55))
        {
            return false; // cannot decide the rounding from the truncated power
        }

        var upperBit = (int)(high >> 63);
        var mantissa = high >> (upperBit + 9);
        var power2 = Power(q) + upperBit - lz + 1023;
        if (power2 <= 0)
        {
            // Subnormal.
            if (-power2 + 1 >= 64)
            {
                value = negative ? -0.0 : 0.0;
                return true;
            }

            mantissa >>= -power2 + 1;
            mantissa += mantissa & 1;
            mantissa >>= 1;
            power2 = mantissa < (1UL << 52) ? 0 : 1;
            value = Compose(mantissa & ~(1UL << 52), power2, negative);
            return true;
        }

        // Exactly halfway between two doubles: round to even.
        if (low <= 1 && q is >= -4 and <= 23 && (mantissa & 3) == 1 && (mantissa << (upperBit + 9)) == high)
        {
            mantissa &= ~1UL;
        }

        mantissa += mantissa & 1;
        mantissa >>= 1;
        if (mantissa >= (2UL << 52))
        {
            mantissa = 1UL << 52;
            power2++;
        }

        mantissa &= ~(1UL << 52);
        if (power2 >= 0x7FF)
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        value = Compose(mantissa, power2, negative);
        return true;
    }

    private static int Power(int q) => (((152170 + 65536) * q) >> 16) + 63;

    private static double Compose(ulong mantissa, int power2, bool negative) =>
        BitConverter.UInt64BitsToDouble(mantissa | ((ulong)power2 << 52) | (negative ? 1UL << 63 : 0));

    private static ulong[] PowersOfFive()
    {
        var table = new ulong[2 * (LargestPowerOfTen - SmallestPowerOfTen + 1)];
        var one128 = BigInteger.One << 127;
        var limit = BigInteger.One << 128;
        for (var q = SmallestPowerOfTen; q <= LargestPowerOfTen; q++)
        {
            BigInteger c;
            if (q < 0)
            {
                var power5 = BigInteger.Pow(5, -q);
                var z = (int)(power5 - 1).GetBitLength(); // smallest z with 2^z >= 5^-q
                var b = q >= -27 ? z + 127 : (2 * z) + 128;
                c = (BigInteger.One << b) / power5 + 1;
                while (c >= limit)
                {
                    c >>= 1;
                }
            }
            else
            {
                c = BigInteger.Pow(5, q);
                while (c < one128)
                {
                    c <<= 1;
                }

                while (c >= limit)
                {
                    c >>= 1;
                }
            }

            var index = 2 * (q - SmallestPowerOfTen);
            table[index] = (ulong)(c >> 64);
            table[index + 1] = (ulong)(c & ulong.MaxValue);
        }

        return table;
    }
}
