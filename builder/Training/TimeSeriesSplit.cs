namespace Gordo.ModelBuilder.Training;

/// <summary>scikit-learn's <c>TimeSeriesSplit(n_splits)</c>: expanding training windows, equal test blocks.</summary>
public static class TimeSeriesSplit
{
    public static IEnumerable<(int TrainEnd, int TestStart, int TestEnd)> Split(int samples, int splits = 3)
    {
        var testSize = samples / (splits + 1);
        if (testSize < 1)
        {
            throw new ArgumentException($"{samples} rows are too few for {splits} time-series folds.");
        }

        for (var start = samples - (splits * testSize); start < samples; start += testSize)
        {
            yield return (start, start, start + testSize);
        }
    }
}
