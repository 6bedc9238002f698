using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Gordo.ModelBuilder.Output;

/// <summary>
/// A whole model collection to build (examples/collection.yaml): revisions, each a list of model
/// specs with hyphenated keys (<c>model-offset</c>, <c>tag-objects</c>, ...).
/// </summary>
public sealed class CollectionSpec
{
    public string Project { get; set; } = "gordo-example";

    /// <summary>The revision MODEL_COLLECTION_DIR should name (the newest one by default).</summary>
    public string? Current { get; set; }

    public Dictionary<string, List<ModelBuildSpec>> Revisions { get; set; } = [];

    public static CollectionSpec Load(string path)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(HyphenatedNamingConvention.Instance).Build();
        var spec = deserializer.Deserialize<CollectionSpec>(File.ReadAllText(path)) ?? new CollectionSpec();
        foreach (var models in spec.Revisions.Values)
        {
            foreach (var model in models)
            {
                model.Project = spec.Project;
            }
        }

        return spec;
    }

    public string CurrentRevision => Current ?? Revisions.Keys.OrderBy(k => k.Length).ThenBy(k => k, StringComparer.Ordinal).Last();
}
