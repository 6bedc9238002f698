using System.Text;
using Gordo.Frames;

namespace Gordo.Tests.Frames;

public sealed class ParsingHelpersTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("007", 7L)]
    [InlineData(" -12 ", -12L)]
    [InlineData("+5", 5L)]
    [InlineData("1_000", 1000L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void PythonInt_parses_like_int(string text, long expected)
    {
        Assert.True(PythonInt.TryParse(Encoding.ASCII.GetBytes(text), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.0")]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("0x10")]
    [InlineData("9223372036854775808")]
    [InlineData("abc")]
    public void PythonInt_refuses_what_int_refuses_or_what_does_not_fit(string text) =>
        Assert.False(PythonInt.TryParse(Encoding.ASCII.GetBytes(text), out _));

    [Theory]
    [InlineData("10T", 600)]
    [InlineData("10min", 600)]
    [InlineData("T", 60)]
    [InlineData("1H", 3600)]
    [InlineData("1h30min", 5400)]
    [InlineData("30S", 30)]
    [InlineData("500ms", 0.5)]
    [InlineData("1D", 86400)]
    [InlineData("0.5H", 1800)]
    public void Resolution_aliases_give_durations(string alias, double seconds)
    {
        Assert.True(PandasOffset.TryParse(alias, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("W")]
    [InlineData("M")]
    [InlineData("1B")]
    [InlineData("10")]
    [InlineData("0T")]
    [InlineData("ten minutes")]
    public void Calendar_and_invalid_aliases_are_refused(string? alias) => Assert.False(PandasOffset.TryParse(alias, out _));
}
