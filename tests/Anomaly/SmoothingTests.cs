using Gordo.Grains.Anomaly;

namespace Gordo.Tests.Anomaly;

/// <summary>
/// gordo's smoothing against pandas: the expected arrays were printed by pandas 1.5.3 (the version
/// gordo pins) for the same inputs, and random series are checked against the naive definitions.
/// </summary>
public sealed class SmoothingTests
{
    private static readonly double[] s_withGaps = [1.0, double.NaN, 3.0, 4.0, double.NaN, double.NaN, 7.0, 2.0, 5.0];
    private static readonly double[] s_plain = [5.0, 1.0, 4.0, 2.0, 8.0, 3.0];

    public static TheoryData<string, double[], int, double[]> PandasVectors => new()
    {
        { "ewm", s_withGaps, 3, [1.0, 1.0, 2.6, 3.461538461538462, 3.461538461538462, 3.461538461538462, 6.402597402597403, 3.653658536585366, 4.401301518438178] },
        { "median", s_withGaps, 3, [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 5.0] },
        { "mean", s_withGaps, 2, [double.NaN, double.NaN, double.NaN, 3.5, double.NaN, double.NaN, double.NaN, 4.5, 3.5] },
        { "median", s_plain, 4, [double.NaN, double.NaN, double.NaN, 3.0, 3.0, 3.5] },
        { "mean", s_plain, 3, [double.NaN, double.NaN, 3.3333333333333335, 2.3333333333333335, 4.666666666666667, 4.333333333333333] },
        { "ewm", s_plain, 2, [5.0, 2.0, 3.3846153846153846, 2.4499999999999997, 6.1652892561983474, 4.052197802197802] },
        { "ewm", [double.NaN, double.NaN, 2.0, 6.0], 4, [double.NaN, double.NaN, 2.0, 4.5] },
    };

    [Theory]
    [MemberData(nameof(PandasVectors))]
    public void Matches_pandas(string method, double[] input, int window, double[] expected)
    {
        var output = new double[input.Length];
        Smoothing.Apply(method switch { "ewm" => SmoothingMethod.Ewma, "median" => SmoothingMethod.Smm, _ => SmoothingMethod.Sma }, window, input, output);
        for (var i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(double.IsNaN(output[i]), $"[{i}] expected NaN, got {output[i]}");
            }
            else
            {
                Assert.Equal(expected[i], output[i], 1e-12);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(144)]
    public void Random_series_match_the_definitions(int window)
    {
        var random = new Random(window);
        var input = Enumerable.Range(0, 600).Select(_ => random.NextDouble() * 100).ToArray();
        var output = new double[input.Length];
        Smoothing.RollingMedian(input, window, output);
        AssertClose(ExpectedAnomaly.RollingMedian(input, window), output);
        Smoothing.RollingMean(input, window, output);
        AssertClose(ExpectedAnomaly.RollingMean(input, window), output);
        Smoothing.ExponentialMean(input, window, output);
        AssertClose(ExpectedAnomaly.Ewma(input, window), output);
    }

    [Fact]
    public void Repeated_values_in_a_window_keep_the_median_right()
    {
        double[] input = [2, 2, 2, 1, 1, 3, 3, 3, 2, 2];
        var output = new double[input.Length];
        Smoothing.RollingMedian(input, 4, output);
        AssertClose(ExpectedAnomaly.RollingMedian(input, 4), output);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]))
            {
                Assert.True(double.IsNaN(actual[i]), $"[{i}] expected NaN, got {actual[i]}");
            }
            else
            {
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-9 * Math.Max(1, Math.Abs(expected[i])), $"[{i}] expected {expected[i]}, got {actual[i]}");
            }
        }
    }
}
