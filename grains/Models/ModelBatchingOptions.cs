using Microsoft.Extensions.Options;

namespace Gordo.Grains.Models;

/// <summary>
/// Micro-batching of one model's concurrent requests: requests that arrive while the model runs wait
/// and are merged into the next ONNX Runtime call (up to <see cref="MaxBatchRows"/> rows), then split
/// back. Off by default. Bound from <c>Gordo:Batching</c> (environment: <c>GORDO_BATCHING</c>,
/// <c>GORDO_BATCH_MAX_ROWS</c>, <c>GORDO_BATCH_MAX_WAIT_MS</c>).
/// </summary>
public sealed class ModelBatchingOptions
{
    public const string SectionName = "Gordo:Batching";

    public bool Enabled { get; set; }

    /// <summary>Rows per merged call; a request larger than this runs alone.</summary>
    public int MaxBatchRows { get; set; } = 4096;

    /// <summary>
    /// How long the first request of an idle model waits for others before it runs (0: it runs at once,
    /// and only requests that arrive while a call is running are merged).
    /// </summary>
    public double MaxWaitMilliseconds { get; set; }
}

/// <summary>Validates <see cref="ModelBatchingOptions"/> at startup.</summary>
public sealed class ModelBatchingOptionsValidator : IValidateOptions<ModelBatchingOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelBatchingOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBatchRows is < 1 or > 1_000_000)
        {
            failures.Add($"Gordo:Batching:MaxBatchRows must be between 1 and 1000000 (got {options.MaxBatchRows}).");
        }

        if (!double.IsFinite(options.MaxWaitMilliseconds) || options.MaxWaitMilliseconds is < 0 or > 1000)
        {
            failures.Add($"Gordo:Batching:MaxWaitMilliseconds must be between 0 and 1000 (got {options.MaxWaitMilliseconds}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
