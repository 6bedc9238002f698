using Microsoft.Extensions.Options;

namespace Gordo.Api.Metrics;

/// <summary>Request metrics settings (section <c>Gordo:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Gordo:Metrics";

    /// <summary>gordo's <c>PROJECT</c>: when set, a constant <c>project</c> label (and gordo's label order for it).</summary>
    public string? Project { get; set; }

    /// <summary>Distinct <c>model</c> label values kept; later models are counted under <c>_other_</c>.</summary>
    public int MaxModelLabels { get; set; } = 2000;
}

public sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options) =>
        options.MaxModelLabels is >= 1 and <= 1_000_000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Gordo:Metrics:MaxModelLabels must be between 1 and 1000000 (got {options.MaxModelLabels}).");
}
