using System.Globalization;
using System.Text;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Frames.Json;

namespace Gordo.Tests.Frames;

/// <summary>
/// The decoder's fast path for the gordo client's shape must give exactly what the general reader gives
/// (columns, index, every value bit for bit), and must hand everything else to the general reader.
/// </summary>
public sealed class ClientShapeReaderTests
{
    [Fact]
    public void Random_client_bodies_decode_bit_for_bit_as_the_general_reader_decodes_them()
    {
        var random = new Random(42);
        for (var n = 0; n < 300; n++)
        {
            var body = RandomBody(random);
            Assert.True(FrameJsonReader.TryReadClientShape(body, out var fast), Encoding.UTF8.GetString(body));
            using (fast)
            using (var general = FrameJsonReader.ReadRequestGeneral(body))
            {
                AssertSame(general.X, fast!.X);
                Assert.Equal(general.Y is null, fast.Y is null);
                if (general.Y is not null)
                {
                    AssertSame(general.Y, fast.Y!);
                }
            }
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("9007199254740993")]
    [InlineData("9007199254740992.5")]
    [InlineData("0.1")]
    [InlineData("1234567890123456789")]
    [InlineData("12345678901234567890123")]
    [InlineData("0.000000000000000000000000001")]
    [InlineData("2.2250738585072011e-308")]
    [InlineData("4.9e-324")]
    [InlineData("1e400")]
    [InlineData("-1E-400")]
    [InlineData("276.42180131240696")]
    [InlineData("0.30000000000000004")]
    [InlineData("100.0E+2")]
    public void Numbers_read_as_dotnet_parses_them(string number)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"X\": {{\"a\": {{\"2020-01-01 00:00:00+00:00\": {number}}}}}}}");
        Assert.True(FrameJsonReader.TryReadClientShape(body, out var frames));
        using (frames)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(number, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(frames!.X.Values[0]));
        }
    }

    [Fact]
    public void Long_fractions_read_eight_digits_at_a_time_as_dotnet_parses_them()
    {
        // Every fraction length from 1 to 30 digits, so the eight-digit steps end at every place of a
        // word: before an exponent, a comma, the closing brace, with leading zeros and without.
        const string digits = "918273645546372819012345678901";
        foreach (var whole in new[] { "0", "7", "-282", "123456789012", "12345678901234567", "-98765432109876543210" })
        {
            foreach (var zeros in new[] { "", "0000000" })
            {
                for (var length = 1; length <= digits.Length; length++)
                {
                    foreach (var exponent in new[] { "", "e5", "E-3" })
                    {
                        var number = $"{whole}.{zeros}{digits[..length]}{exponent}";
                        var body = Encoding.UTF8.GetBytes($"{{\"X\": {{\"a\": {{\"0\": {number}, \"1\": {number}}}}}}}");
                        Assert.True(FrameJsonReader.TryReadClientShape(body, out var frames));
                        using (frames)
                        {
                            var expected = BitConverter.DoubleToInt64Bits(double.Parse(number, CultureInfo.InvariantCulture));
                            Assert.Equal((number, expected), (number, BitConverter.DoubleToInt64Bits(frames!.X.Values[0])));
                            Assert.Equal((number, expected), (number, BitConverter.DoubleToInt64Bits(frames.X.Values[1])));
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void A_later_column_s_keys_that_start_like_the_first_column_s_are_told_apart()
    {
        // Later columns' keys are matched in place against the first column's, quotes included.
        var body = Encoding.UTF8.GetBytes("{\"X\": {\"a\": {\"1\": 1.5, \"10\": 2.5, \"100\": 3.5}, \"b\": {\"10\": 20.5, \"1\": 10.5, \"100\": 30.5}, \"c\": {\"100\": 300.5, \"10\": 200.5}}}");
        Assert.True(FrameJsonReader.TryReadClientShape(body, out var fast));
        using (fast)
        using (var general = FrameJsonReader.ReadRequestGeneral(body))
        {
            AssertSame(general.X, fast!.X);
        }
    }

    [Theory]
    [InlineData("{\"X\": {\"a\": {\"2020-01-01 00:00:00\\u002B00:00\": 1}}}")] // an escape
    [InlineData("{\"X\": {\"tæg\": {\"2020-01-01 00:00:00+00:00\": 1}}}")] // non-ASCII name
    [InlineData("{\"X\": {\"a\": {\"0\": 1}, \"a\": {\"0\": 2}}}")] // a repeated column
    [InlineData("{\"X\": {\"a\": [1, 2]}}")] // column lists
    [InlineData("{\"X\": [[1, 2]]}")] // list of rows
    [InlineData("{\"X\": {\"a\": {\"0\": 1}}} x")] // trailing garbage
    [InlineData("{\"X\": {\"a\": {\"0\": 1}}, \"z\": 1}")] // another key
    [InlineData("{\"X\": {\"a\": {\"0\": {\"b\": 1}}}}")] // two levels
    [InlineData("{\"X\": {\"a\": {\"0\": \"1.5\"}}}")] // a numeric string
    [InlineData("{\"X\": {\"a\": {\"0\": NaN}}}")] // Python's bare NaN
    [InlineData("{\"X\": {\"a\": {\"0\": 01}}}")] // not JSON
    [InlineData("{\"X\": {\"a\": {\"0\": 1.}}}")] // not JSON
    [InlineData("{\"X\": {}}")] // no columns
    [InlineData("{\"y\": {\"a\": {\"0\": 1}}}")] // no X
    public void Other_bodies_go_to_the_general_reader(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.False(FrameJsonReader.TryReadClientShape(body, out var frames));
        Assert.Null(frames);
    }

    [Fact]
    public void Index_errors_are_the_general_readers()
    {
        var body = Encoding.UTF8.GetBytes("{\"X\": {\"a\": {\"2020-01-01 00:00:00+00:00\": 1, \"2020-01-01 00:10:00\": 2}}}");
        var general = Assert.Throws<FrameFormatException>(() => FrameJsonReader.ReadRequestGeneral(body));
        var fast = Assert.Throws<FrameFormatException>(() => FrameJsonReader.ReadRequest(body));
        Assert.Equal(general.Message, fast.Message);
    }

    internal static void AssertSame(DataFrame expected, DataFrame actual)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.Index.Kind, actual.Index.Kind);
        Assert.Equal(expected.Index.Values.ToArray(), actual.Index.Values.ToArray());
        Assert.Equal(expected.Index.OffsetMinutes.ToArray(), actual.Index.OffsetMinutes.ToArray());
        Assert.Equal(
            expected.Values.ToArray().Select(BitConverter.DoubleToInt64Bits),
            actual.Values.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }

    /// <summary>A client body with random columns, keys (shuffled, missing, aware or naive, or integers), whitespace and numbers.</summary>
    private static byte[] RandomBody(Random random)
    {
        var rows = random.Next(1, 30);
        var integerKeys = random.Next(5) == 0;
        var offset = random.Next(3) switch { 0 => "", 1 => "+00:00", _ => "-03:30" };
        var keys = Enumerable.Range(0, rows).Select(r => integerKeys
            ? (r * 3 - 10).ToString(CultureInfo.InvariantCulture)
            : new DateTime(2021, 6, 1).AddMinutes(10 * r).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + offset).ToArray();
        var space = random.Next(2) == 0 ? " " : "";
        var text = new StringBuilder("{");
        var frames = random.Next(3) == 0 ? new[] { "X" } : random.Next(2) == 0 ? ["X", "y"] : ["y", "X"];
        for (var f = 0; f < frames.Length; f++)
        {
            text.Append(f > 0 ? "," + space : "").Append('"').Append(frames[f]).Append("\":").Append(space);
            if (frames[f] == "y" && random.Next(4) == 0)
            {
                text.Append("null");
                continue;
            }

            text.Append('{');
            var columns = random.Next(1, 8);
            for (var c = 0; c < columns; c++)
            {
                text.Append(c > 0 ? "," + space : "").Append("\"TAG-").Append(c).Append("\":").Append(space).Append('{');
                var order = Enumerable.Range(0, rows).Where(_ => random.Next(10) > 0 || c == 0).ToArray();
                if (random.Next(4) == 0)
                {
                    random.Shuffle(order);
                }

                for (var i = 0; i < order.Length; i++)
                {
                    text.Append(i > 0 ? "," + space : "").Append('"').Append(keys[order[i]]).Append("\":").Append(space).Append(RandomNumber(random));
                }

                text.Append('}');
            }

            text.Append('}');
        }

        return Encoding.UTF8.GetBytes(text.Append(random.Next(2) == 0 ? "}\n" : "}").ToString());
    }

    private static string RandomNumber(Random random)
    {
        Span<byte> buffer = stackalloc byte[PythonFloat.MaxLength];
        switch (random.Next(8))
        {
            case 0:
                return "null";
            case 1:
                return random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture);
            case 2:
                return ((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))).ToString("E" + random.Next(0, 20), CultureInfo.InvariantCulture);
            case 3:
                var bits = BitConverter.UInt64BitsToDouble((ulong)random.NextInt64());
                return double.IsFinite(bits) ? Encoding.ASCII.GetString(buffer[..PythonFloat.Format(bits, buffer)]) : "0";
            default:
                var value = (random.NextDouble() * 400) - 100;
                return Encoding.ASCII.GetString(buffer[..PythonFloat.Format(value, buffer)]);
        }
    }
}
