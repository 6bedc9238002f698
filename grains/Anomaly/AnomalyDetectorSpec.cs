using System.Text.Json.Serialization;

namespace Gordo.Grains.Anomaly;

/// <summary>
/// The <c>gordo.anomaly</c> custom metadata of a model.onnx (see model-format.md): gordo's
/// <c>DiffBasedAnomalyDetector</c> without its base estimator, which is the ONNX graph itself.
/// </summary>
public sealed class AnomalyDetectorSpec
{
    public const string MetadataKey = "gordo.anomaly";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "diff";

    [JsonPropertyName("scaler")]
    public MinMaxScalerSpec? Scaler { get; set; }

    [JsonPropertyName("feature_thresholds")]
    public double[]? FeatureThresholds { get; set; }

    [JsonPropertyName("aggregate_threshold")]
    public double? AggregateThreshold { get; set; }

    [JsonPropertyName("window")]
    public int? Window { get; set; }

    [JsonPropertyName("smoothing_method")]
    public string? SmoothingMethod { get; set; }

    [JsonPropertyName("smooth_feature_thresholds")]
    public double[]? SmoothFeatureThresholds { get; set; }

    [JsonPropertyName("smooth_aggregate_threshold")]
    public double? SmoothAggregateThreshold { get; set; }

    [JsonPropertyName("require_thresholds")]
    public bool RequireThresholds { get; set; } = true;
}
