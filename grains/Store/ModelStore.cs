using System.Buffers;
using Microsoft.Extensions.Options;

namespace Gordo.Grains.Store;

/// <summary>
/// Reads the model collection layout: <c>&lt;root&gt;/&lt;revision&gt;/&lt;target&gt;/{metadata.json, model.onnx, info.json}</c>,
/// where <c>MODEL_COLLECTION_DIR</c> is the current revision's directory. Every name that reaches the
/// file system is checked first: targets match <c>^[A-Za-z0-9-]+$</c>, revisions are digits (or the
/// current revision's own name), and resolved paths must stay inside the root, so no request can reach
/// outside the collection.
/// </summary>
public sealed class ModelStore
{
    private static readonly SearchValues<char> s_targetChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");

    public ModelStore(IOptions<ModelStoreOptions> options)
        : this(options.Value.CollectionDirectory)
    {
    }

    public ModelStore(string collectionDirectory)
    {
        ConfiguredDirectory = collectionDirectory;
        var full = Path.GetFullPath(collectionDirectory.TrimEnd('/'));
        CurrentRevision = Path.GetFileName(full);
        Root = Path.GetDirectoryName(full) ?? "/";
    }

    /// <summary><c>MODEL_COLLECTION_DIR</c> exactly as configured (the metadata route echoes it).</summary>
    public string ConfiguredDirectory { get; }

    /// <summary>The basename of <c>MODEL_COLLECTION_DIR</c>: gordo's "latest".</summary>
    public string CurrentRevision { get; }

    /// <summary>The directory that holds the revisions.</summary>
    public string Root { get; }

    /// <summary>gordo's model-name rule, matched on the whole name: <c>^[A-Za-z0-9-]+$</c>.</summary>
    public static bool IsValidTargetName(ReadOnlySpan<char> name) =>
        !name.IsEmpty && name.Length <= 255 && !name.ContainsAnyExcept(s_targetChars);

    /// <summary>gordo's revision rule <c>^\d+$</c>, ASCII digits only.</summary>
    public static bool IsValidRevisionName(ReadOnlySpan<char> revision) =>
        !revision.IsEmpty && revision.Length <= 64 && !revision.ContainsAnyExceptInRange('0', '9');

    /// <summary>True when <paramref name="revision"/> may name a revision of this store (digits, or the current one).</summary>
    public bool IsKnownRevisionName(string revision) =>
        IsValidRevisionName(revision) || string.Equals(revision, CurrentRevision, StringComparison.Ordinal);

    /// <summary>True when the revision directory exists.</summary>
    public bool RevisionExists(string revision) => Directory.Exists(GetRevisionDirectory(revision));

    public string GetRevisionDirectory(string revision)
    {
        if (!IsKnownRevisionName(revision))
        {
            throw new ArgumentException($"'{revision}' is not a revision name.", nameof(revision));
        }

        return Contained(Path.Combine(Root, revision));
    }

    /// <summary>The files of a target; the names are validated, the files may not exist.</summary>
    public ModelFiles GetModelFiles(string revision, string target)
    {
        if (!IsValidTargetName(target))
        {
            throw new ArgumentException($"'{target}' is not a model name.", nameof(target));
        }

        return new ModelFiles(revision, target, Contained(Path.Combine(GetRevisionDirectory(revision), target)));
    }

    /// <summary>True when the target has a metadata.json in the revision (gordo's test for "a model exists").</summary>
    public bool ModelExists(string revision, string target) =>
        IsKnownRevisionName(revision) && IsValidTargetName(target) && File.Exists(GetModelFiles(revision, target).MetadataPath);

    /// <summary>Every entry of a revision directory (gordo lists files too), sorted; empty when the directory is missing.</summary>
    public IReadOnlyList<string> ListModels(string revision) => ListEntries(GetRevisionDirectory(revision)) ?? [];

    /// <summary>Every entry of the root (the revisions), sorted; just the current revision when the root cannot be listed.</summary>
    public IReadOnlyList<string> ListRevisions() => ListEntries(Root) ?? [CurrentRevision];

    /// <summary>
    /// Deletes a target from a revision as gordo does: the target directory recursively, then the
    /// revision directory if that left it empty. The caller enforces gordo's rules on which revisions
    /// may be deleted (digits only, never the current one).
    /// </summary>
    public DeleteModelResult DeleteModel(string revision, string target)
    {
        var files = GetModelFiles(revision, target);
        if (!File.Exists(files.MetadataPath))
        {
            return DeleteModelResult.NotFound;
        }

        Directory.Delete(files.Directory, recursive: true);
        var revisionDirectory = GetRevisionDirectory(revision);
        if (!Directory.EnumerateFileSystemEntries(revisionDirectory).Any())
        {
            Directory.Delete(revisionDirectory);
        }

        return DeleteModelResult.Deleted;
    }

    private static List<string>? ListEntries(string directory)
    {
        try
        {
            var entries = Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToList();
            entries.Sort(StringComparer.Ordinal);
            return entries;
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    private string Contained(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Root.EndsWith('/') ? Root : Root + "/";
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{path}' is outside the model collection.", nameof(path));
        }

        return full;
    }
}
