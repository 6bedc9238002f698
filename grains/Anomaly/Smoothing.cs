namespace Gordo.Grains.Anomaly;

/// <summary>
/// pandas' window functions as gordo's detector calls them, NaN handling included:
/// <c>rolling(w).median()</c> and <c>rolling(w).mean()</c> need w observations (any NaN in the window,
/// and the first w-1 rows, give NaN); <c>ewm(span=w).mean()</c> with adjust=True and ignore_na=False
/// follows pandas' recursion (a NaN input keeps the previous average and still decays the weights).
/// </summary>
public static class Smoothing
{
    public static void Apply(SmoothingMethod method, int window, ReadOnlySpan<double> input, Span<double> output)
    {
        switch (method)
        {
            case SmoothingMethod.Smm:
                RollingMedian(input, window, output);
                break;
            case SmoothingMethod.Sma:
                RollingMean(input, window, output);
                break;
            default:
                ExponentialMean(input, window, output);
                break;
        }
    }

    public static void RollingMedian(ReadOnlySpan<double> input, int window, Span<double> output)
    {
        // A sorted copy of the window's observed values, updated by one removal and one insertion per row.
        var sorted = new double[window];
        var count = 0;
        var nans = 0;
        for (var t = 0; t < input.Length; t++)
        {
            // Evict the value leaving the window before inserting the one entering it.
            if (t >= window)
            {
                var outgoing = input[t - window];
                if (double.IsNaN(outgoing))
                {
                    nans--;
                }
                else
                {
                    var at = LowerBound(sorted, count, outgoing);
                    Array.Copy(sorted, at + 1, sorted, at, count - at - 1);
                    count--;
                }
            }

            var incoming = input[t];
            if (double.IsNaN(incoming))
            {
                nans++;
            }
            else
            {
                var at = LowerBound(sorted, count, incoming);
                Array.Copy(sorted, at, sorted, at + 1, count - at);
                sorted[at] = incoming;
                count++;
            }

            if (t < window - 1 || nans > 0)
            {
                output[t] = double.NaN;
            }
            else
            {
                output[t] = (window & 1) == 1
                    ? sorted[window / 2]
                    : (sorted[(window / 2) - 1] + sorted[window / 2]) / 2;
            }
        }
    }

    public static void RollingMean(ReadOnlySpan<double> input, int window, Span<double> output)
    {
        // Kahan-compensated running sum, as pandas' roll_mean keeps one.
        double sum = 0, compensation = 0;
        var nans = 0;
        for (var t = 0; t < input.Length; t++)
        {
            if (double.IsNaN(input[t]))
            {
                nans++;
            }
            else
            {
                Add(ref sum, ref compensation, input[t]);
            }

            if (t >= window)
            {
                var outgoing = input[t - window];
                if (double.IsNaN(outgoing))
                {
                    nans--;
                }
                else
                {
                    Add(ref sum, ref compensation, -outgoing);
                }
            }

            output[t] = t < window - 1 || nans > 0 ? double.NaN : sum / window;
        }

        static void Add(ref double sum, ref double compensation, double value)
        {
            var y = value - compensation;
            var t = sum + y;
            compensation = t - sum - y;
            sum = t;
        }
    }

    public static void ExponentialMean(ReadOnlySpan<double> input, int span, Span<double> output)
    {
        if (input.IsEmpty)
        {
            return;
        }

        var alpha = 2.0 / (span + 1.0);
        var oldWeightFactor = 1 - alpha;
        const double newWeight = 1.0;
        var weightedAverage = input[0];
        var observations = double.IsNaN(weightedAverage) ? 0 : 1;
        output[0] = observations >= 1 ? weightedAverage : double.NaN;
        var oldWeight = 1.0;
        for (var i = 1; i < input.Length; i++)
        {
            var current = input[i];
            var isObservation = !double.IsNaN(current);
            if (isObservation)
            {
                observations++;
            }

            if (!double.IsNaN(weightedAverage))
            {
                oldWeight *= oldWeightFactor;
                if (isObservation)
                {
                    if (weightedAverage != current)
                    {
                        weightedAverage = ((oldWeight * weightedAverage) + (newWeight * current)) / (oldWeight + newWeight);
                    }

                    oldWeight += newWeight;
                }
            }
            else if (isObservation)
            {
                weightedAverage = current;
            }

            output[i] = observations >= 1 ? weightedAverage : double.NaN;
        }
    }

    private static int LowerBound(double[] sorted, int count, double value)
    {
        int lo = 0, hi = count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
