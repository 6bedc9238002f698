using System.Globalization;
using System.Text;
using Gordo.Frames.Json;

namespace Gordo.Tests.Json;

/// <summary>
/// gordo's JSON numbers are CPython's <c>repr(float)</c>. The expected strings were printed by Debian's
/// python3 (3.11) for the same bit patterns; the random sweeps check the shortest-digits property
/// against .NET's own round-trip formatter and that every output reads back to the same double.
/// </summary>
public sealed class PythonFloatTests
{
    [Theory]
    [InlineData(0x0000000000000000UL, "0.0")]
    [InlineData(0x8000000000000000UL, "-0.0")]
    [InlineData(0x3ff0000000000000UL, "1.0")]
    [InlineData(0xbff0000000000000UL, "-1.0")]
    [InlineData(0x404a000000000000UL, "52.0")]
    [InlineData(0x3fb999999999999aUL, "0.1")]
    [InlineData(0x3f1a36e2eb1c432dUL, "0.0001")]
    [InlineData(0x3ee4f8b588e368f1UL, "1e-05")]
    [InlineData(0x40fe240c9fbe76c9UL, "123456.789")]
    [InlineData(0x430c6bf526340000UL, "1000000000000000.0")]
    [InlineData(0x4341c37937e08000UL, "1e+16")]
    [InlineData(0x434aa535d3d0c000UL, "1.5e+16")]
    [InlineData(0x4340000000000000UL, "9007199254740992.0")]
    [InlineData(0x4480f0cf064dd592UL, "1e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x0010000000000000UL, "2.2250738585072014e-308")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0x8010000000000000UL, "-2.2250738585072014e-308")]
    [InlineData(0x3fd3333333333333UL, "0.3")]
    [InlineData(0x3fe5555555555555UL, "0.6666666666666666")]
    [InlineData(0x404a27ae20000000UL, "52.310001373291016")]
    [InlineData(0x54b249ad2594c37dUL, "1e+100")]
    [InlineData(0x2b314626eab6dbc7UL, "1.234e-100")]
    [InlineData(0x437b69b4ba630f35UL, "1.2345678901234568e+17")]
    [InlineData(0x3f201f31f46ed246UL, "0.000123")]
    [InlineData(0x43118b54f22aeb03UL, "1234567890123456.8")]
    [InlineData(0x3eff75104d551d69UL, "3e-05")]
    [InlineData(0x4059000000000000UL, "100.0")]
    [InlineData(0x41678c29dccccccdUL, "12345678.9")]
    public void Formats_as_cpython_repr(ulong bits, string expected) =>
        Assert.Equal(expected, Format(BitConverter.UInt64BitsToDouble(bits)));

    [Fact]
    public void Random_doubles_get_the_shortest_digits_and_read_back_exactly()
    {
        var random = new Random(20261122);
        for (var n = 0; n < 300_000; n++)
        {
            // Uniform bit patterns cover every exponent; the second half are values of a sensor's range.
            var value = n % 2 == 0
                ? BitConverter.UInt64BitsToDouble((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63))
                : (random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-6, 7));
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = Format(value);
            Assert.Equal(value, double.Parse(text, CultureInfo.InvariantCulture));
            Assert.Equal(Digits(value.ToString("R", CultureInfo.InvariantCulture)), Digits(text));
        }
    }

    [Fact]
    public void Float32_values_widened_to_double_format_as_python_prints_them()
    {
        // Model outputs are float32 widened to float64, as in pandas; each needs up to 17 digits.
        var random = new Random(7);
        for (var n = 0; n < 100_000; n++)
        {
            var value = (double)(float)((random.NextDouble() * 200) - 50);
            Assert.Equal(value, double.Parse(Format(value), CultureInfo.InvariantCulture));
            Assert.Equal(Digits(value.ToString("R", CultureInfo.InvariantCulture)), Digits(Format(value)));
        }
    }

    [Fact]
    public void Non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Format(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Format(double.PositiveInfinity));
    }

    private static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[PythonFloat.MaxLength];
        return Encoding.ASCII.GetString(buffer[..PythonFloat.Format(value, buffer)]);
    }

    /// <summary>The significant digits and the decimal exponent of a formatted number, whatever its layout.</summary>
    private static (string Digits, int Exponent) Digits(string text)
    {
        var e = text.IndexOfAny(['e', 'E']);
        var exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissa = (e < 0 ? text : text[..e]).TrimStart('-');
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot < 0 ? mantissa.Length : dot;
        var all = mantissa.Replace(".", string.Empty, StringComparison.Ordinal);
        var leading = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return digits.Length == 0 ? ("0", 0) : (digits, exponent + integerDigits - leading);
    }
}
