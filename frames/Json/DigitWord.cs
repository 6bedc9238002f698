using System.Numerics;
using System.Runtime.CompilerServices;

namespace Gordo.Frames.Json;

/// <summary>Eight ASCII bytes read as one little-endian word: how many lead digits it has, and their value.</summary>
internal static class DigitWord
{
    /// <summary>
    /// How many of a word's bytes (in reading order) are ASCII digits before the first that is not: a byte
    /// is a digit when adding 0x46 leaves its top bit clear and subtracting 0x30 does not borrow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DigitRun(ulong word)
    {
        var other = ((word + 0x4646_4646_4646_4646UL) | (word - 0x3030_3030_3030_3030UL)) & 0x8080_8080_8080_8080UL;
        return other == 0 ? 8 : BitOperations.TrailingZeroCount(other) >> 3;
    }

    /// <summary>
    /// The value of a word's first <paramref name="count"/> (1 to 8) digit bytes: moved to the top of the
    /// word with '0's below them, then pairs, fours and the eight by multiply-and-add in all lanes at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(ulong word, int count)
    {
        var shift = (8 - count) * 8;
        var zeros = shift == 0 ? 0 : 0x3030_3030_3030_3030UL >> (64 - shift);
        word = ((word << shift) | zeros) - 0x3030_3030_3030_3030UL;
        word = (word * 10) + (word >> 8);
        word = (((word & 0x0000_00FF_0000_00FFUL) * (100 + (1_000_000UL << 32)))
            + (((word >> 16) & 0x0000_00FF_0000_00FFUL) * (1 + (10_000UL << 32)))) >> 32;
        return (uint)word;
    }
}
