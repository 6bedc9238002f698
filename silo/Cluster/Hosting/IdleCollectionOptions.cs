using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>Idle collection of activations (Orleans' IdleCollectionOptions). Section <c>Gordo:Grains</c>.</summary>
public sealed class IdleCollectionOptions
{
    public const string SectionName = "Gordo:Grains";

    /// <summary>An activation unused for this long is deactivated (env <c>GORDO_IDLE_AGE</c>).</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the collector looks for idle activations.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a silo shutdown waits for deactivations.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class IdleCollectionOptionsValidator : IValidateOptions<IdleCollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, IdleCollectionOptions options)
    {
        var failures = new List<string>();
        if (options.CollectionAge <= TimeSpan.Zero)
        {
            failures.Add($"Gordo:Grains:CollectionAge must be positive (got {options.CollectionAge}).");
        }

        if (options.CollectionQuantum <= TimeSpan.Zero)
        {
            failures.Add($"Gordo:Grains:CollectionQuantum must be positive (got {options.CollectionQuantum}).");
        }

        if (options.DeactivationTimeout <= TimeSpan.Zero)
        {
            failures.Add($"Gordo:Grains:DeactivationTimeout must be positive (got {options.DeactivationTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
