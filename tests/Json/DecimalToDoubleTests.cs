using System.Globalization;
using System.Numerics;
using Gordo.Frames.Json;

namespace Gordo.Tests.Json;

/// <summary>Eisel-Lemire against .NET's own (correctly rounded) parser, bit for bit.</summary>
public sealed class DecimalToDoubleTests
{
    [Theory]
    [InlineData(1UL, 0)]
    [InlineData(27642180131240696UL, -14)]
    [InlineData(9007199254740993UL, 0)]
    [InlineData(9007199254740995UL, 0)]
    [InlineData(22250738585072011UL, -324)]
    [InlineData(22250738585072014UL, -324)]
    [InlineData(49UL, -325)]
    [InlineData(24703282292062327UL, -340)]
    [InlineData(17976931348623157UL, 292)]
    [InlineData(17976931348623159UL, 292)]
    [InlineData(9999999999999999999UL, -20)]
    [InlineData(1UL, 23)]
    [InlineData(7UL, -343)]
    [InlineData(1UL, 309)]
    public void Edge_cases_round_as_dotnet_rounds_them(ulong w, int q) => Check(w, q);

    [Fact]
    public void Random_mantissas_and_exponents_round_as_dotnet_rounds_them()
    {
        var random = new Random(1729);
        for (var n = 0; n < 200_000; n++)
        {
            var digits = random.Next(1, 20);
            var w = (ulong)(random.NextDouble() * Math.Pow(10, digits));
            var q = n % 3 == 0 ? random.Next(-30, 30) : random.Next(-345, 311);
            Check(w, q);
        }
    }

    [Fact]
    public void Python_reprs_of_random_doubles_read_back_exactly()
    {
        var random = new Random(5);
        Span<byte> text = stackalloc byte[PythonFloat.MaxLength];
        for (var n = 0; n < 100_000; n++)
        {
            var value = BitConverter.UInt64BitsToDouble((ulong)random.NextInt64() & 0x7FFF_FFFF_FFFF_FFFF);
            if (!double.IsFinite(value))
            {
                continue;
            }

            var repr = System.Text.Encoding.ASCII.GetString(text[..PythonFloat.Format(value, text)]);
            var (w, q) = Decompose(repr);
            Assert.True(DecimalToDouble.TryCompute(w, q, negative: false, out var parsed));
            Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(parsed));
        }
    }

    private static void Check(ulong w, int q)
    {
        var expected = double.Parse($"{w}e{q}", CultureInfo.InvariantCulture);
        if (DecimalToDouble.TryCompute(w, q, negative: true, out var value))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(-expected), BitConverter.DoubleToInt64Bits(value));
        }
    }

    private static (ulong W, int Q) Decompose(string repr)
    {
        var e = repr.IndexOf('e', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(repr[(e + 1)..], CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? repr : repr[..e];
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            exponent -= mantissa.Length - dot - 1;
            mantissa = mantissa.Remove(dot, 1);
        }

        var big = BigInteger.Parse(mantissa, CultureInfo.InvariantCulture);
        while (big > ulong.MaxValue)
        {
            Assert.Fail($"{repr} has more than 19 digits");
        }

        return ((ulong)big, exponent);
    }
}
