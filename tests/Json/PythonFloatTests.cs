using System.Globalization;
using System.Text;
using Gordo.Frames.Json;
using Gordo.Tests.Infrastructure;

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
    // Exactly halfway between two 17-digit decimals: the even one.
    [InlineData(0x3e60000000000000UL, "2.9802322387695312e-08")]
    [InlineData(0x42a0000000000020UL, "8796093022208.062")]
    [InlineData(0x42d0000000000008UL, "70368744177664.12")]
    [InlineData(0x42e0000000000014UL, "140737488355328.62")]
    [InlineData(0x0000000000000002UL, "1e-323")]
    [InlineData(0x0000000000000003UL, "1.5e-323")]
    [InlineData(0x7fe0000000000000UL, "8.98846567431158e+307")]
    [InlineData(0x0010000000000001UL, "2.225073858507202e-308")]
    [InlineData(0x3ff0000000000001UL, "1.0000000000000002")]
    [InlineData(0x4330000000000001UL, "4503599627370497.0")]
    [InlineData(0x43e158e460913d00UL, "1e+19")]
    [InlineData(0x3ca0000000000000UL, "1.1102230246251565e-16")]
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
    public async Task Values_next_to_every_power_of_two_and_the_smallest_subnormals_print_as_cpython_prints_them()
    {
        // A power of two has a rounding interval narrower below than above, and the subnormals have few
        // significant bits: the two places a shortest-digits algorithm has special cases. .NET's own
        // formatter is no oracle here (2^-959 comes out as 4.104536801298376E-289, which reads back as
        // the double below it), so CPython prints the expected strings.
        var values = new List<double>();
        for (var exponent = 0UL; exponent < 2047; exponent++)
        {
            for (var step = -3L; step <= 3; step++)
            {
                var value = BitConverter.UInt64BitsToDouble((ulong)((long)(exponent << 52) + step));
                if (double.IsFinite(value) && value != 0)
                {
                    values.Add(value);
                    values.Add(-value);
                }
            }
        }

        for (var bits = 1UL; bits < 1 << 14; bits++)
        {
            values.Add(BitConverter.UInt64BitsToDouble(bits));
        }

        var input = Encoding.ASCII.GetBytes(string.Join('\n', values.Select(v => BitConverter.DoubleToUInt64Bits(v).ToString("x16", CultureInfo.InvariantCulture))));
        var printed = (await SystemPython.RunAsync(
            "import struct, sys\nfor line in sys.stdin.read().split():\n    print(repr(struct.unpack('<d', struct.pack('<Q', int(line, 16)))[0]))",
            input)).Split('\n');
        Assert.Equal(values.Count, printed.Length);
        for (var i = 0; i < values.Count; i++)
        {
            Assert.Equal((BitConverter.DoubleToUInt64Bits(values[i]), printed[i]), (BitConverter.DoubleToUInt64Bits(values[i]), Format(values[i])));
        }
    }

    [Fact]
    public void Whole_numbers_and_decimal_fractions_keep_python_s_layout()
    {
        var random = new Random(11);
        for (var n = 0; n < 100_000; n++)
        {
            var whole = (double)random.NextInt64(1L << 53);
            Assert.Equal(Python(whole), Format(whole));
            var fraction = random.Next(1_000_000) / Math.Pow(10, random.Next(1, 9));
            Assert.Equal(Python(fraction), Format(fraction));
        }
    }

    [Fact]
    public void Every_destination_size_from_max_length_up_gets_the_same_bytes()
    {
        // Format writes straight into any room of MaxLength bytes or more.
        foreach (var value in new[] { -2.2250738585072014e-308, 52.310001373291016, -0.000123456789012345, 1e16, 123.0 })
        {
            var expected = Format(value);
            for (var size = PythonFloat.MaxLength; size <= PythonFloat.MaxLength + 18; size++)
            {
                var buffer = new byte[size];
                Assert.Equal(expected, Encoding.ASCII.GetString(buffer, 0, PythonFloat.Format(value, buffer)));
            }
        }
    }

    [Fact]
    public void Nothing_is_written_past_max_length_and_less_room_is_refused()
    {
        // The formatter's 16-byte stores leave scratch past the number, but never past MaxLength bytes.
        var random = new Random(11);
        var values = new List<double> { -2.2250738585072014e-308, 52.310001373291016, -0.000123456789012345, 1e16, -1e-5, 123.0, -1.7976931348623157e308 };
        for (var i = 0; i < 2_000; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64() & ~(0x7FFL << 52) | ((long)random.Next(0, 0x7FF) << 52)));
        }

        var buffer = new byte[PythonFloat.MaxLength + 16];
        foreach (var value in values)
        {
            Array.Fill(buffer, (byte)'#');
            var length = PythonFloat.Format(value, buffer.AsSpan(0, PythonFloat.MaxLength));
            Assert.Equal((value < 0 ? "-" : string.Empty) + Python(Math.Abs(value)), Encoding.ASCII.GetString(buffer, 0, length));
            Assert.All(buffer[PythonFloat.MaxLength..], b => Assert.Equal((byte)'#', b));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => PythonFloat.Format(1.5, new byte[PythonFloat.MaxLength - 1]));
    }

    [Fact]
    public void Non_finite_values_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Format(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Format(double.PositiveInfinity));
    }

    /// <summary>CPython's layout (<c>format_float_short</c>, mode 'r') of .NET's shortest digits for a non-negative value.</summary>
    private static string Python(double value)
    {
        var (digits, point) = Digits(value.ToString("R", CultureInfo.InvariantCulture));
        if (point > 16 || point <= -4)
        {
            var e = point - 1;
            return digits[..1] + (digits.Length > 1 ? "." + digits[1..] : string.Empty) + "e" + (e < 0 ? "-" : "+")
                + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);
        }

        return point <= 0 ? "0." + new string('0', -point) + digits
            : point >= digits.Length ? digits + new string('0', point - digits.Length) + ".0"
            : digits[..point] + "." + digits[point..];
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
