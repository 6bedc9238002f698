using Gordo.GrainInterfaces;

namespace Gordo.Grains.Anomaly;

/// <summary>
/// The columns gordo's <c>DiffBasedAnomalyDetector.anomaly</c> adds to the base frame, computed from
/// the model output and y (both m × q, row-major, in target units), in gordo's column order:
/// <c>tag-anomaly-scaled</c>, <c>total-anomaly-scaled</c>, <c>tag-anomaly-unscaled</c>,
/// <c>total-anomaly-unscaled</c>, the four <c>smooth-*</c> groups (when the detector has a window and
/// they are asked for), <c>anomaly-confidence</c> and <c>total-anomaly-confidence</c> (when the
/// detector has the matching threshold).
/// </summary>
public static class AnomalyFrameBuilder
{
    /// <summary>The smoothed groups, in gordo's order (answered only when asked for, <c>all_columns</c>).</summary>
    public static readonly string[] SmoothedGroups =
        ["smooth-tag-anomaly-scaled", "smooth-total-anomaly-scaled", "smooth-tag-anomaly-unscaled", "smooth-total-anomaly-unscaled"];

    public static void AddAnomalyGroups(
        DiffAnomalyDetector detector,
        ReadOnlySpan<double> output,
        ReadOnlySpan<double> y,
        int rows,
        string[] targets,
        bool includeSmoothed,
        List<ResultColumnGroup> groups)
    {
        var q = targets.Length;
        var single = new[] { string.Empty };
        var tagScaled = ResultColumnGroup.Create("tag-anomaly-scaled", targets, rows);
        var totalScaled = ResultColumnGroup.Create("total-anomaly-scaled", single, rows);
        var tagUnscaled = ResultColumnGroup.Create("tag-anomaly-unscaled", targets, rows);
        var totalUnscaled = ResultColumnGroup.Create("total-anomaly-unscaled", single, rows);
        groups.Add(tagScaled);
        groups.Add(totalScaled);
        groups.Add(tagUnscaled);
        groups.Add(totalUnscaled);

        var min = detector.ScalerMin;
        var scale = detector.ScalerScale;
        for (var j = 0; j < q; j++)
        {
            var scaledColumn = tagScaled.Column(j);
            var unscaledColumn = tagUnscaled.Column(j);
            for (var t = 0; t < rows; t++)
            {
                var o = output[(t * q) + j];
                var v = y[(t * q) + j];
                scaledColumn[t] = Math.Abs(((o * scale[j]) + min[j]) - ((v * scale[j]) + min[j]));
                unscaledColumn[t] = Math.Abs(o - v);
            }
        }

        MeanOfSquares(tagScaled, totalScaled.Column(0));
        MeanOfSquares(tagUnscaled, totalUnscaled.Column(0));

        if (includeSmoothed && detector.Smoothing is { } method && detector.Window is { } window)
        {
            groups.Add(Smoothed(SmoothedGroups[0], tagScaled, method, window));
            groups.Add(Smoothed(SmoothedGroups[1], totalScaled, method, window));
            groups.Add(Smoothed(SmoothedGroups[2], tagUnscaled, method, window));
            groups.Add(Smoothed(SmoothedGroups[3], totalUnscaled, method, window));
        }

        if (detector.FeatureThresholds is { } thresholds)
        {
            // Confidence is the unscaled diff over the per-tag threshold (gordo #1141).
            var confidence = ResultColumnGroup.Create("anomaly-confidence", targets, rows);
            for (var j = 0; j < q; j++)
            {
                var source = tagUnscaled.Column(j);
                var destination = confidence.Column(j);
                for (var t = 0; t < rows; t++)
                {
                    destination[t] = source[t] / thresholds[j];
                }
            }

            groups.Add(confidence);
        }

        if (detector.AggregateThreshold is { } aggregate)
        {
            var totalConfidence = ResultColumnGroup.Create("total-anomaly-confidence", single, rows);
            var source = totalScaled.Column(0);
            var destination = totalConfidence.Column(0);
            for (var t = 0; t < rows; t++)
            {
                destination[t] = source[t] / aggregate;
            }

            groups.Add(totalConfidence);
        }
    }

    /// <summary>pandas <c>np.square(frame).mean(axis=1)</c>: NaN cells are skipped; all-NaN rows give NaN.</summary>
    private static void MeanOfSquares(ResultColumnGroup tags, Span<double> total)
    {
        var q = tags.SubNames.Length;
        for (var t = 0; t < total.Length; t++)
        {
            double sum = 0;
            var count = 0;
            for (var j = 0; j < q; j++)
            {
                var value = tags.Column(j)[t];
                if (!double.IsNaN(value))
                {
                    sum += value * value;
                    count++;
                }
            }

            total[t] = count == 0 ? double.NaN : sum / count;
        }
    }

    private static ResultColumnGroup Smoothed(string name, ResultColumnGroup source, SmoothingMethod method, int window)
    {
        var smoothed = ResultColumnGroup.Create(name, source.SubNames, source.RowCount);
        for (var j = 0; j < source.SubNames.Length; j++)
        {
            Smoothing.Apply(method, window, source.Column(j), smoothed.Column(j));
        }

        return smoothed;
    }
}
