using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gordo.Frames.Json;

/// <summary>
/// The numbers gordo clients send, in one pass over a 32-byte window: <c>-?digits.digits</c> with up to 8
/// integer digits, up to 19 fraction digits and 19 significant ones, no exponent (what Python's
/// <c>repr</c> writes for sensor values). Digit and point positions come from two vector compares; the fraction's digits
/// are moved to the right of a register with one <c>pshufb</c> and converted in pairs, fours and eights
/// with multiply-adds, so no loop or branch depends on how many digits there are. Anything else is left
/// to the caller's general number reader.
/// </summary>
internal static class PlainDecimal
{
    /// <summary>The bytes <see cref="TryRead"/> needs readable from the start of a number.</summary>
    public const int Window = 32;

    private static ReadOnlySpan<ulong> PowersOf10Whole =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    private static ReadOnlySpan<double> PowersOf10 =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19];

    /// <summary>Whether this machine has the instructions <see cref="TryRead"/> uses.</summary>
    public static bool IsSupported => Ssse3.IsSupported;

    /// <summary>
    /// Reads a plain decimal at <paramref name="start"/>, of which <see cref="Window"/> bytes must be
    /// readable, or returns false, having read nothing, for any other number (or not a number).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryRead(ref byte start, out int length, out double value)
    {
        length = 0;
        value = 0;
        if (!Ssse3.IsSupported)
        {
            return false;
        }

        var zero = Vector128.Create((byte)'0');
        var ten = Vector128.Create((byte)10);
        var digits = Vector128.LessThan(Vector128.LoadUnsafe(ref start) - zero, ten).ExtractMostSignificantBits()
            | (Vector128.LessThan(Vector128.LoadUnsafe(ref start, 16) - zero, ten).ExtractMostSignificantBits() << 16);
        var negative = start == (byte)'-';
        var sign = negative ? 1 : 0;
        var integerLength = BitOperations.TrailingZeroCount(~(digits >> sign));
        var point = sign + integerLength;
        // 1 to 8 integer digits, no leading zero (JSON has none), then a point.
        if ((uint)(integerLength - 1) > 7 || Unsafe.Add(ref start, point) != (byte)'.' || (integerLength > 1 && Unsafe.Add(ref start, sign) == (byte)'0'))
        {
            return false;
        }

        // 1 to 19 fraction digits, 19 significant ones at most (an exact 64-bit mantissa; the 0 of "0." is
        // not one), and no exponent after them.
        var fractionLength = BitOperations.TrailingZeroCount(~(digits >> (point + 1)));
        var end = point + 1 + fractionLength;
        var significant = integerLength + fractionLength - (integerLength == 1 && Unsafe.Add(ref start, sign) == (byte)'0' ? 1 : 0);
        if ((uint)(fractionLength - 1) > 18 || significant > 19 || (Unsafe.Add(ref start, end) | 0x20) == (byte)'e')
        {
            return false;
        }

        var integer = DigitWord.Value(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, sign)), integerLength);
        // The first 16 fraction digits in a register, moved right when there are fewer: lane i takes digit
        // i - (16 - length), and the lanes before the digits get a negative index, which pshufb makes zero.
        var first = Math.Min(fractionLength, 16);
        var fraction = Vector128.LoadUnsafe(ref Unsafe.Add(ref start, point + 1)) - zero;
        var lanes = Vector128.Create((byte)0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) - Vector128.Create((byte)(16 - first));
        var aligned = Ssse3.Shuffle(fraction, lanes);
        var pairs = Ssse3.MultiplyAddAdjacent(aligned, Vector128.Create((sbyte)10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
        var fours = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create((short)100, 1, 100, 1, 100, 1, 100, 1));
        var eights = Sse2.MultiplyAddAdjacent(Sse2.PackSignedSaturate(fours, fours), Vector128.Create((short)10_000, 1, 10_000, 1, 10_000, 1, 10_000, 1)).AsUInt32();
        var fractionValue = ((ulong)eights.ToScalar() * 100_000_000) + eights.GetElement(1);
        if (fractionLength > 16)
        {
            // A number below a hundred with 17 to 19 fraction digits (0.30000000000000004): the last ones
            // from a word (within the window: the integer part is at most two digits here).
            var rest = fractionLength - 16;
            fractionValue = (fractionValue * PowersOf10Whole[rest]) + DigitWord.Value(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, point + 17)), rest);
        }

        var mantissa = (integer * PowersOf10Whole[fractionLength]) + fractionValue;
        length = end;

        // Clinger's exact division when the mantissa is a double, else Eisel-Lemire.
        if (mantissa <= (1UL << 53))
        {
            var magnitude = mantissa / PowersOf10[fractionLength];
            value = negative ? -magnitude : magnitude;
            return true;
        }

        if (DecimalToDouble.TryCompute(mantissa, -fractionLength, negative, out value))
        {
            return true;
        }

        length = 0;
        return false;
    }
}
