using System.Globalization;
using System.Text;
using Gordo.Frames.Json;

namespace Gordo.Tests.Json;

/// <summary>
/// The one-pass reader of plain decimals must give .NET's (correctly rounded) double bit for bit and the
/// number's exact length, and must refuse, having read nothing, every number it does not take.
/// </summary>
public sealed class PlainDecimalTests
{
    [Fact]
    public void Plain_decimals_of_every_length_read_as_dotnet_parses_them()
    {
        var random = new Random(2718);
        for (var n = 0; n < 200_000; n++)
        {
            var integerLength = random.Next(1, 9);
            var fractionLength = random.Next(1, 21);
            var zeroPoint = random.Next(4) == 0;
            var text = new StringBuilder();
            if (random.Next(3) == 0)
            {
                text.Append('-');
            }

            var integer = zeroPoint ? "0" : Digits(random, integerLength, leading: integerLength > 1);
            text.Append(integer).Append('.').Append(Digits(random, fractionLength, leading: false));
            if (random.Next(5) == 0)
            {
                // Leading zeros in the fraction, and runs of nines and zeros, move the rounding about.
                var zeros = random.Next(1, 16);
                text.Length -= Math.Min(zeros, fractionLength);
                text.Append(random.Next(2) == 0 ? '0' : '9', Math.Min(zeros, fractionLength));
            }

            var number = text.ToString();
            // The 0 of "0." is not a significant digit.
            var taken = fractionLength <= 19 && (integer == "0" ? 0 : integer.Length) + fractionLength <= 19;
            Check(number, taken ? number.Length : 0);
        }
    }

    [Theory]
    [InlineData("0.0", 3)]
    [InlineData("-0.0", 4)]
    [InlineData("0.5", 3)]
    [InlineData("279.0428629534203", 17)]
    [InlineData("274.37233212788277", 18)]
    [InlineData("-0.3000000000000004", 19)]
    [InlineData("-0.30000000000000004", 20)]
    [InlineData("0.0000000000000001", 18)]
    [InlineData("12345678.12345678901", 20)]
    [InlineData("99999999.99999999999", 20)]
    [InlineData("9007199254.740993", 0)]
    [InlineData("12345678.123456789012", 0)]
    [InlineData("0.12345678901234567", 19)]
    [InlineData("0.1234567890123456789", 21)]
    [InlineData("0.12345678901234567890", 0)]
    [InlineData("1.23456789012345678", 19)]
    [InlineData("12.12345678901234567", 20)]
    [InlineData("123.12345678901234567", 0)]
    [InlineData("1.5e3", 0)]
    [InlineData("1.5E-3", 0)]
    [InlineData("1", 0)]
    [InlineData("-5", 0)]
    [InlineData("01.5", 0)]
    [InlineData("-.5", 0)]
    [InlineData(".5", 0)]
    [InlineData("1.", 0)]
    [InlineData("-", 0)]
    [InlineData("null", 0)]
    [InlineData("\"1.5\"", 0)]
    [InlineData("- 1.5", 0)]
    [InlineData("1.5.5", 3)]
    public void Only_plain_decimals_are_taken(string number, int length) => Check(number, length);

    private static string Digits(Random random, int count, bool leading)
    {
        var digits = new char[count];
        for (var i = 0; i < count; i++)
        {
            digits[i] = (char)('0' + random.Next(i == 0 && leading ? 1 : 0, 10));
        }

        return new string(digits);
    }

    /// <summary>Reads <paramref name="number"/> followed by what follows a number in a body, within the window.</summary>
    private static void Check(string number, int expectedLength)
    {
        var bytes = new byte[PlainDecimal.Window + 8];
        bytes.AsSpan().Fill((byte)' ');
        var text = Encoding.ASCII.GetBytes(number + ", \"2020-01-01 00:10:00+00:00\"");
        text.AsSpan(0, Math.Min(bytes.Length, text.Length)).CopyTo(bytes);
        var taken = PlainDecimal.TryRead(ref bytes[0], out var length, out var value);
        if (!PlainDecimal.IsSupported)
        {
            Assert.False(taken);
            return;
        }

        Assert.True(taken == expectedLength > 0, $"{number}: taken {taken}, expected length {expectedLength}");
        Assert.Equal(expectedLength, length);
        if (taken)
        {
            var expected = double.Parse(number.AsSpan(0, length), NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(value), $"{number}: {value:R} against {expected:R}");
        }
    }
}
