namespace Gordo.ModelBuilder.Training;

/// <summary>pandas <c>series.rolling(window).min().max()</c> (NaN windows skipped; all NaN gives NaN).</summary>
public static class RollingStatistics
{
    public static double MaxOfRollingMin(ReadOnlySpan<double> values, int window)
    {
        var best = double.NaN;
        for (var end = window - 1; end < values.Length; end++)
        {
            var min = double.PositiveInfinity;
            var hasNaN = false;
            for (var i = end - window + 1; i <= end; i++)
            {
                if (double.IsNaN(values[i]))
                {
                    hasNaN = true;
                    break;
                }

                min = Math.Min(min, values[i]);
            }

            if (!hasNaN && (double.IsNaN(best) || min > best))
            {
                best = min;
            }
        }

        return best;
    }
}
