namespace Gordo.Tests.Anomaly;

/// <summary>
/// gordo's anomaly columns computed the plain way, independently of Gordo's implementation: every
/// window is re-sorted or re-summed from scratch, and the EWMA is the closed-form weighted average
/// <c>Σ (1-α)^(t-i) x_i / Σ (1-α)^(t-i)</c> with α = 2 / (span + 1).
/// </summary>
public static class ExpectedAnomaly
{
    public static double[] RollingMedian(double[] x, int window) => Rolling(x, window, w =>
    {
        var sorted = w.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    });

    public static double[] RollingMean(double[] x, int window) => Rolling(x, window, w => w.Sum() / w.Length);

    public static double[] Ewma(double[] x, int span)
    {
        var alpha = 2.0 / (span + 1);
        var result = new double[x.Length];
        for (var t = 0; t < x.Length; t++)
        {
            double numerator = 0, denominator = 0;
            for (var i = 0; i <= t; i++)
            {
                var weight = Math.Pow(1 - alpha, t - i);
                numerator += weight * x[i];
                denominator += weight;
            }

            result[t] = numerator / denominator;
        }

        return result;
    }

    /// <summary>Mean of squares over the non-NaN cells of a row (pandas mean skips NaN).</summary>
    public static double MeanOfSquares(IEnumerable<double> row)
    {
        var observed = row.Where(v => !double.IsNaN(v)).ToArray();
        return observed.Length == 0 ? double.NaN : observed.Select(v => v * v).Average();
    }

    private static double[] Rolling(double[] x, int window, Func<double[], double> reduce)
    {
        var result = new double[x.Length];
        for (var t = 0; t < x.Length; t++)
        {
            if (t < window - 1)
            {
                result[t] = double.NaN;
                continue;
            }

            var values = x[(t - window + 1)..(t + 1)];
            result[t] = values.Any(double.IsNaN) ? double.NaN : reduce(values);
        }

        return result;
    }
}
