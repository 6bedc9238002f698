using System.Diagnostics;

namespace Gordo.ModelBuilder.Training;

/// <summary>
/// gordo's <c>DiffBasedAnomalyDetector.cross_validate</c> over <c>TimeSeriesSplit(3)</c>: per fold,
/// fit the pipeline on the training block, predict the test block, and take
/// <c>max(rolling(6).min(scaled MSE per row))</c> as the aggregate threshold and
/// <c>max(rolling(6).min(|error|))</c> per tag as the feature thresholds (with a window, the smoothed
/// variants use <c>rolling(window)</c>). The detector keeps the last fold's values; its own scaler is
/// fitted on all of y.
/// </summary>
public static class DiffDetectorTrainer
{
    private const int ThresholdWindow = 6;

    public static DetectorFit Train(Matrix x, Matrix y, Func<Matrix, PcaAutoencoder> fitModel, int? window)
    {
        var started = Stopwatch.GetTimestamp();
        var q = y.Columns;
        var featurePerFold = new List<double[]>();
        var aggregatePerFold = new List<double>();
        var smoothFeaturePerFold = new List<double[]>();
        var smoothAggregatePerFold = new List<double>();
        var scores = new Dictionary<string, List<double>>
        {
            ["mean-squared-error"] = [],
            ["mean-absolute-error"] = [],
            ["r2-score"] = [],
            ["explained-variance-score"] = [],
        };
        var splits = TimeSeriesSplit.Split(x.Rows).ToList();
        foreach (var (trainEnd, testStart, testEnd) in splits)
        {
            var model = fitModel(x.SliceRows(0, trainEnd));
            var predicted = model.Predict(x.SliceRows(testStart, testEnd - testStart));
            var m = predicted.Rows;
            var truth = y.SliceRows(testEnd - m, m);
            var foldScaler = MinMaxScaler.Fit(y.SliceRows(0, trainEnd));
            var scaledPredicted = foldScaler.Transform(predicted);
            var scaledTruth = foldScaler.Transform(truth);

            var scaledMse = new double[m];
            var absoluteError = new Matrix(m, q);
            for (var t = 0; t < m; t++)
            {
                double sum = 0;
                for (var j = 0; j < q; j++)
                {
                    var d = scaledPredicted[t, j] - scaledTruth[t, j];
                    sum += d * d;
                    absoluteError[t, j] = Math.Abs(truth[t, j] - predicted[t, j]);
                }

                scaledMse[t] = sum / q;
            }

            aggregatePerFold.Add(RollingStatistics.MaxOfRollingMin(scaledMse, ThresholdWindow));
            featurePerFold.Add([.. Enumerable.Range(0, q).Select(j => RollingStatistics.MaxOfRollingMin(absoluteError.Column(j), ThresholdWindow))]);
            if (window is { } w)
            {
                smoothAggregatePerFold.Add(RollingStatistics.MaxOfRollingMin(scaledMse, w));
                smoothFeaturePerFold.Add([.. Enumerable.Range(0, q).Select(j => RollingStatistics.MaxOfRollingMin(absoluteError.Column(j), w))]);
            }

            AddScores(scores, truth, predicted);
        }

        return new DetectorFit(
            MinMaxScaler.Fit(y),
            featurePerFold[^1],
            aggregatePerFold[^1],
            window is null ? null : smoothFeaturePerFold[^1],
            window is null ? null : smoothAggregatePerFold[^1],
            featurePerFold,
            aggregatePerFold,
            smoothFeaturePerFold,
            smoothAggregatePerFold,
            scores,
            splits,
            Stopwatch.GetElapsedTime(started));
    }

    private static void AddScores(Dictionary<string, List<double>> scores, Matrix truth, Matrix predicted)
    {
        var q = truth.Columns;
        var m = truth.Rows;
        double mse = 0, mae = 0, r2 = 0, ev = 0;
        for (var j = 0; j < q; j++)
        {
            double mean = 0, errorMean = 0;
            for (var t = 0; t < m; t++)
            {
                mean += truth[t, j];
                errorMean += truth[t, j] - predicted[t, j];
            }

            mean /= m;
            errorMean /= m;
            double ssRes = 0, ssTot = 0, errorVar = 0;
            for (var t = 0; t < m; t++)
            {
                var e = truth[t, j] - predicted[t, j];
                ssRes += e * e;
                mae += Math.Abs(e);
                ssTot += (truth[t, j] - mean) * (truth[t, j] - mean);
                errorVar += (e - errorMean) * (e - errorMean);
            }

            mse += ssRes / m;
            r2 += ssTot == 0 ? 1 : 1 - (ssRes / ssTot);
            ev += ssTot == 0 ? 1 : 1 - (errorVar / ssTot);
        }

        scores["mean-squared-error"].Add(mse / q);
        scores["mean-absolute-error"].Add(mae / (q * m));
        scores["r2-score"].Add(r2 / q);
        scores["explained-variance-score"].Add(ev / q);
    }
}
