using System.Collections.Concurrent;
using Gordo.Api.Cluster;
using Gordo.Grains.Store;

namespace Gordo.Api.V2;

/// <summary>
/// The protocol's models are gordo's targets and its versions gordo's revisions (no version: the
/// current revision). Resolves a name and version to a model grain's key (404 for an unknown one) and
/// keeps each model's <see cref="ModelSignature"/>: it is fixed for a revision's target, and asking the
/// grain for it on every request would double the grain calls.
/// </summary>
internal sealed class V2Models(ModelStore store, ModelCalls calls)
{
    private const int MaxSignatures = 10_000;
    private readonly ConcurrentDictionary<ModelKey, ModelSignature> _signatures = new();

    public ModelStore Store => store;

    public ModelKey Resolve(string? model, string? version)
    {
        if (string.IsNullOrEmpty(model) || !ModelStore.IsValidTargetName(model))
        {
            throw new ModelNotFoundException($"Unknown model '{Shorten(model)}': a model name matches ^[A-Za-z0-9-]+$.");
        }

        var revision = string.IsNullOrEmpty(version) ? store.CurrentRevision : version;
        if (!ModelStore.IsValidRevisionName(revision) || !store.IsKnownRevisionName(revision))
        {
            throw new ModelNotFoundException($"Unknown version '{Shorten(version)}' of model '{model}'.");
        }

        if (!store.ModelExists(revision, model))
        {
            throw new ModelNotFoundException(string.IsNullOrEmpty(version)
                ? $"Unknown model '{model}' (current revision '{revision}')."
                : $"Unknown model '{model}' version '{revision}'.");
        }

        return new ModelKey(revision, model);
    }

    /// <summary>The revisions that have this target, oldest first.</summary>
    public IReadOnlyList<string> VersionsOf(string model) =>
        [.. store.ListRevisions().Where(r => store.ModelExists(r, model)).Order(StringComparer.Ordinal)];

    public async ValueTask<ModelSignature> SignatureAsync(ModelKey key, CancellationToken cancellationToken)
    {
        if (_signatures.TryGetValue(key, out var known))
        {
            return known;
        }

        var signature = await calls.InvokeAsync(key, (grain, ct) => grain.GetSignatureAsync(ct), cancellationToken).ConfigureAwait(false);
        if (_signatures.Count >= MaxSignatures)
        {
            _signatures.Clear();
        }

        _signatures[key] = signature;
        return signature;
    }

    /// <summary>Forgets a model's signature (it was unloaded, or its files may have changed).</summary>
    public void Forget(ModelKey key) => _signatures.TryRemove(key, out _);

    private static string Shorten(string? value) => value is null ? string.Empty : value.Length <= 80 ? value : value[..80] + "…";
}
