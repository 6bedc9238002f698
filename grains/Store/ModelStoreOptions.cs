using Microsoft.Extensions.Options;

namespace Gordo.Grains.Store;

/// <summary>Where the model collection is. <c>MODEL_COLLECTION_DIR</c> names the current revision's
/// directory; its siblings are the older revisions.</summary>
public sealed class ModelStoreOptions
{
    public const string SectionName = "Gordo:Models";

    /// <summary>The current revision directory (env <c>MODEL_COLLECTION_DIR</c>), as configured.</summary>
    public string CollectionDirectory { get; set; } = string.Empty;
}

public sealed class ModelStoreOptionsValidator : IValidateOptions<ModelStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.CollectionDirectory))
        {
            return ValidateOptionsResult.Fail("MODEL_COLLECTION_DIR is not set: it must name the current revision directory of the model collection (e.g. /gordo/models/my-project/models/1700000000000).");
        }

        var trimmed = options.CollectionDirectory.TrimEnd('/');
        if (trimmed.Length == 0 || Path.GetFileName(trimmed).Length == 0)
        {
            return ValidateOptionsResult.Fail($"MODEL_COLLECTION_DIR '{options.CollectionDirectory}' has no revision directory name.");
        }

        return ValidateOptionsResult.Success;
    }
}
