namespace Gordo.ModelBuilder.Training;

/// <summary>The trained diff detector: its scaler and thresholds, plus cross-validation figures for metadata.</summary>
public sealed record DetectorFit(
    MinMaxScaler Scaler,
    double[] FeatureThresholds,
    double AggregateThreshold,
    double[]? SmoothFeatureThresholds,
    double? SmoothAggregateThreshold,
    List<double[]> FeatureThresholdsPerFold,
    List<double> AggregateThresholdsPerFold,
    List<double[]> SmoothFeatureThresholdsPerFold,
    List<double> SmoothAggregateThresholdsPerFold,
    Dictionary<string, List<double>> ScoresPerFold,
    List<(int TrainEnd, int TestStart, int TestEnd)> Splits,
    TimeSpan Duration);
