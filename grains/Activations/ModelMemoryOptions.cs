using Microsoft.Extensions.Options;

namespace Gordo.Grains.Activations;

/// <summary>The silo's budget over loaded model bytes (section <c>Gordo:Silo</c>).</summary>
public sealed class ModelMemoryOptions
{
    public const string SectionName = "Gordo:Silo";

    /// <summary>Bytes of loaded models this silo keeps at most (env <c>GORDO_MEMORY_BUDGET</c>); 0 is unbounded.
    /// Least recently used model grains are deactivated to stay under it.</summary>
    public long MemoryBudgetBytes { get; set; }
}

public sealed class ModelMemoryOptionsValidator : IValidateOptions<ModelMemoryOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelMemoryOptions options) =>
        options.MemoryBudgetBytes < 0
            ? ValidateOptionsResult.Fail("Gordo:Silo:MemoryBudgetBytes must not be negative.")
            : ValidateOptionsResult.Success;
}
