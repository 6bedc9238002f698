using Gordo.ModelBuilder.Onnx;
using Gordo.ModelBuilder.Output;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// The model collection the HTTP tests run against, built once per test run by gordo-build's trainer
/// into a temporary directory: two revisions, models of every kind the API treats differently, and
/// deliberately malformed ones.
/// </summary>
public sealed class TestCollection : IDisposable
{
    public const string OldRevision = "1700000000000";
    public const string CurrentRevision = "1700000100000";

    public TestCollection()
    {
        Root = Path.Combine(Path.GetTempPath(), "gordo-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var old = Path.Combine(Root, OldRevision);
        var current = Path.Combine(Root, CurrentRevision);
        var rows = 1200;
        Add(old, new ModelBuildSpec { Name = "pump-1", Tags = 6, Seed = 11, Rows = rows });
        Add(old, new ModelBuildSpec { Name = "old-only", Tags = 3, Seed = 13, Rows = rows, Components = 2 });
        Add(current, new ModelBuildSpec { Name = "pump-1", Tags = 6, Seed = 12, Rows = rows });
        Add(current, new ModelBuildSpec { Name = "windowed-smm", Tags = 5, Seed = 21, Rows = rows, Window = 6, Smoothing = "smm" });
        Add(current, new ModelBuildSpec { Name = "windowed-sma", Tags = 4, Seed = 22, Rows = rows, Window = 5, Smoothing = "sma", TagObjects = false });
        Add(current, new ModelBuildSpec { Name = "windowed-ewma", Tags = 4, Seed = 23, Rows = rows, Window = 4, Smoothing = "ewma", ElementType = OnnxDataType.Double });
        Add(current, new ModelBuildSpec { Name = "lookback-3", Tags = 5, Seed = 24, Rows = rows, ModelOffset = 3 });
        Add(current, new ModelBuildSpec { Name = "subset-targets", Tags = 6, Seed = 25, Rows = rows, Targets = ["PT-101", "FT-103"] });
        Add(current, new ModelBuildSpec { Name = "single-tag", Tags = 1, Seed = 26, Rows = rows, Components = 1 });
        Add(current, new ModelBuildSpec { Name = "plain", Tags = 4, Seed = 27, Rows = rows, Detector = false });
        Add(current, new ModelBuildSpec { Name = "no-thresholds", Tags = 4, Seed = 28, Rows = rows, Thresholds = false });
        MalformedModels.Write(current);
    }

    public string Root { get; }

    public string CurrentDirectory => Path.Combine(Root, CurrentRevision);

    /// <summary>Builds by "revision/name".</summary>
    public Dictionary<string, BuildResult> Builds { get; } = new(StringComparer.Ordinal);

    public BuildResult Current(string name) => Builds[$"{CurrentRevision}/{name}"];

    /// <summary>A private copy of the collection, for tests that change files (DELETE).</summary>
    public string CopyTo(string label)
    {
        var copy = Path.Combine(Path.GetTempPath(), $"gordo-tests-{label}-" + Guid.NewGuid().ToString("N")[..12]);
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Add(string revisionDirectory, ModelBuildSpec spec) =>
        Builds[$"{Path.GetFileName(revisionDirectory)}/{spec.Name}"] = ModelTrainer.Build(spec, revisionDirectory);
}
