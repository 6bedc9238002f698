using System.Text.Json.Serialization;

namespace Gordo.Grains.Anomaly;

/// <summary>A fitted scikit-learn MinMaxScaler: <c>scaled = x * scale + min</c>, per column.</summary>
public sealed class MinMaxScalerSpec
{
    [JsonPropertyName("min")]
    public double[] Min { get; set; } = [];

    [JsonPropertyName("scale")]
    public double[] Scale { get; set; } = [];
}
