using System.Globalization;
using System.Text;
using Gordo.Frames;

namespace Gordo.Tests.Frames;

/// <summary><see cref="IsoTimestamp"/> against <c>dateutil.parser.isoparse</c>: every expected value
/// below was printed by dateutil 2.8.2 (Debian's python3-dateutil) for the same input.</summary>
public sealed class IsoTimestampTests
{
    [Theory]
    [InlineData("2019", "2019-01-01 00:00:00.000000", null)]
    [InlineData("2019-03", "2019-03-01 00:00:00.000000", null)]
    [InlineData("20190305", "2019-03-05 00:00:00.000000", null)]
    [InlineData("2019-064", "2019-03-05 00:00:00.000000", null)]
    [InlineData("2019064", "2019-03-05 00:00:00.000000", null)]
    [InlineData("2019W101", "2019-03-04 00:00:00.000000", null)]
    [InlineData("2019-W10-1", "2019-03-04 00:00:00.000000", null)]
    [InlineData("2019-W10", "2019-03-04 00:00:00.000000", null)]
    [InlineData("2019W10", "2019-03-04 00:00:00.000000", null)]
    [InlineData("2020-W53-7", "2021-01-03 00:00:00.000000", null)]
    [InlineData("2021-W53-1", "2022-01-03 00:00:00.000000", null)]
    [InlineData("2019-W01-1", "2018-12-31 00:00:00.000000", null)]
    [InlineData("2020-366", "2020-12-31 00:00:00.000000", null)]
    [InlineData("2020-01-01T24:00", "2020-01-02 00:00:00.000000", null)]
    [InlineData("2020-01-01T12:3", "2020-01-01 12:03:00.000000", null)]
    [InlineData("2020-01-01T12", "2020-01-01 12:00:00.000000", null)]
    [InlineData("2020-01-01T1230", "2020-01-01 12:30:00.000000", null)]
    [InlineData("2020-01-01T12:30:45.1234567", "2020-01-01 12:30:45.123456", null)]
    [InlineData("2020-01-01T12:30:45,5", "2020-01-01 12:30:45.500000", null)]
    [InlineData("2019-01-01T12:30:45.000001", "2019-01-01 12:30:45.000001", null)]
    [InlineData("2020-01-01 00:00:00+00:00", "2020-01-01 00:00:00.000000", 0)]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01 00:00:00.000000", 0)]
    [InlineData("2020-01-01T00:00:00z", "2020-01-01 00:00:00.000000", 0)]
    [InlineData("2020-01-01T00:00:00-00:00", "2020-01-01 00:00:00.000000", 0)]
    [InlineData("2020-01-01T00:00:00+0530", "2020-01-01 00:00:00.000000", 330)]
    [InlineData("2020-01-01T00:00:00-08", "2020-01-01 00:00:00.000000", -480)]
    [InlineData("2020-01-01T12:30:45+01:3", "2020-01-01 12:30:45.000000", 63)]
    [InlineData("2020-01-01T+01:00", "2020-01-01 00:00:00.000000", 60)]
    [InlineData("2020-01-01x12:00", "2020-01-01 12:00:00.000000", null)]
    [InlineData("1000", "1000-01-01 00:00:00.000000", null)]
    public void Parses_what_isoparse_parses(string text, string expected, int? offset)
    {
        Assert.True(IsoTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out var clock, out var minutes), text);
        Assert.Equal(expected, clock.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
        Assert.Equal(offset, minutes);
    }

    [Theory]
    [InlineData("201903")]
    [InlineData("2020-01-01T24:00:01")]
    [InlineData("2020-01-01T00:00:00+24:00")]
    [InlineData("2020-01-01T00:00:00+05:60")]
    [InlineData("2020-13-01")]
    [InlineData("2020-02-30")]
    [InlineData("2019-366")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("0")]
    [InlineData("123")]
    [InlineData("2020-01-01T12:30:45garbage")]
    [InlineData("2020-01-01T12:30:45.")]
    [InlineData("2020-01-0")]
    public void Refuses_what_isoparse_refuses(string text) =>
        Assert.False(IsoTimestamp.TryParse(Encoding.ASCII.GetBytes(text), out _, out _), text);

    [Theory]
    [InlineData("2020-01-01T00:00:00", null, "2020-01-01 00:00:00", "2020-01-01T00:00:00")]
    [InlineData("2020-01-01T00:00:00", 0, "2020-01-01 00:00:00+00:00", "2020-01-01T00:00:00+00:00")]
    [InlineData("2020-06-30T23:59:59.5", 330, "2020-06-30 23:59:59.500000+05:30", "2020-06-30T23:59:59.500000+05:30")]
    [InlineData("0999-12-31T01:02:03.000001", -480, "0999-12-31 01:02:03.000001-08:00", "0999-12-31T01:02:03.000001-08:00")]
    public void Formats_as_pandas_str_and_isoformat(string clock, int? offset, string key, string iso)
    {
        var value = DateTime.Parse(clock, CultureInfo.InvariantCulture);
        Assert.Equal(key, IsoTimestamp.FormatKey(value, offset));
        Assert.Equal(iso, IsoTimestamp.FormatIso(value, offset));
    }
}
