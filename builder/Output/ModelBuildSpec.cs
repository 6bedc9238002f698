using Gordo.ModelBuilder.Onnx;

namespace Gordo.ModelBuilder.Output;

/// <summary>Everything that defines one built model. Settable so that YAML collection specs bind to it.</summary>
public sealed class ModelBuildSpec
{
    /// <summary>The target (machine) name: <c>^[A-Za-z0-9-]+$</c>.</summary>
    public string Name { get; set; } = string.Empty;

    public string Project { get; set; } = "gordo-example";

    /// <summary>CSV training data; synthetic data when null.</summary>
    public string? Csv { get; set; }

    /// <summary>Synthetic data: number of tags.</summary>
    public int Tags { get; set; } = 6;

    /// <summary>Tag names to use (CSV: the columns to read); synthetic names when null.</summary>
    public string[]? TagNames { get; set; }

    /// <summary>Target tags, a subset of the tags; all tags when null.</summary>
    public string[]? Targets { get; set; }

    public int Rows { get; set; } = 2000;

    public ulong Seed { get; set; } = 1;

    public int Factors { get; set; } = 3;

    public double Noise { get; set; } = 0.05;

    public DateTime Start { get; set; } = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>pandas offset alias of the dataset resolution.</summary>
    public string Resolution { get; set; } = "10T";

    public int Components { get; set; } = 3;

    /// <summary>Input rows minus output rows: the graph drops this many leading rows.</summary>
    public int ModelOffset { get; set; }

    public OnnxDataType ElementType { get; set; } = OnnxDataType.Float;

    /// <summary>Attach a diff anomaly detector (<c>gordo.anomaly</c>); without it the anomaly route answers 422.</summary>
    public bool Detector { get; set; } = true;

    /// <summary>Store the cross-validated thresholds; without them (and require_thresholds) the anomaly route answers 422.</summary>
    public bool Thresholds { get; set; } = true;

    public bool RequireThresholds { get; set; } = true;

    public int? Window { get; set; }

    /// <summary>smm, sma or ewma (smm when a window is set and this is not).</summary>
    public string? Smoothing { get; set; }

    /// <summary>Write tag_list entries as {"name", "asset"} objects (gordo SensorTags) rather than strings.</summary>
    public bool TagObjects { get; set; } = true;
}
