using System.Text.Json;

namespace Gordo.Grains.Anomaly;

/// <summary>A validated <see cref="AnomalyDetectorSpec"/> for a model with a known number of targets.</summary>
public sealed class DiffAnomalyDetector
{
    private DiffAnomalyDetector(AnomalyDetectorSpec spec, SmoothingMethod? smoothing)
    {
        ScalerMin = spec.Scaler!.Min;
        ScalerScale = spec.Scaler.Scale;
        FeatureThresholds = spec.FeatureThresholds;
        AggregateThreshold = spec.AggregateThreshold;
        Window = spec.Window;
        Smoothing = smoothing;
        RequireThresholds = spec.RequireThresholds;
    }

    public double[] ScalerMin { get; }

    public double[] ScalerScale { get; }

    public double[]? FeatureThresholds { get; }

    public double? AggregateThreshold { get; }

    public int? Window { get; }

    /// <summary>Set when the detector smooths (a window is set).</summary>
    public SmoothingMethod? Smoothing { get; }

    public bool RequireThresholds { get; }

    public bool HasThresholds => FeatureThresholds is not null || AggregateThreshold is not null;

    /// <summary>Parses and validates the <c>gordo.anomaly</c> JSON; the error says what is wrong.</summary>
    public static bool TryParse(string json, int targetCount, out DiffAnomalyDetector? detector, out string? error)
    {
        detector = null;
        AnomalyDetectorSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize(json, AnomalySpecJsonContext.Default.AnomalyDetectorSpec);
        }
        catch (JsonException ex)
        {
            error = $"its {AnomalyDetectorSpec.MetadataKey} metadata is not valid JSON ({ex.Message})";
            return false;
        }

        error = Validate(spec, targetCount, out var smoothing);
        if (error is null)
        {
            detector = new DiffAnomalyDetector(spec!, smoothing);
        }

        return error is null;
    }

    private static string? Validate(AnomalyDetectorSpec? spec, int targets, out SmoothingMethod? smoothing)
    {
        smoothing = null;
        var key = AnomalyDetectorSpec.MetadataKey;
        if (spec is null)
        {
            return $"its {key} metadata is null";
        }

        if (spec.Kind != "diff")
        {
            return $"its {key} kind '{spec.Kind}' is not supported (only 'diff')";
        }

        if (spec.Scaler is null || spec.Scaler.Min.Length != targets || spec.Scaler.Scale.Length != targets)
        {
            return $"its {key} scaler must have min and scale arrays of {targets} values (one per target tag)";
        }

        if (spec.FeatureThresholds is { } thresholds && thresholds.Length != targets)
        {
            return $"its {key} feature_thresholds has {thresholds.Length} values; the model has {targets} target tags";
        }

        if (spec.Window is { } window)
        {
            if (window < 1)
            {
                return $"its {key} window must be at least 1 (got {window})";
            }

            smoothing = spec.SmoothingMethod switch
            {
                null or "smm" => SmoothingMethod.Smm,
                "sma" => SmoothingMethod.Sma,
                "ewma" => SmoothingMethod.Ewma,
                _ => null,
            };
            if (smoothing is null)
            {
                return $"its {key} smoothing_method '{spec.SmoothingMethod}' is not one of smm, sma, ewma";
            }
        }

        return null;
    }
}
