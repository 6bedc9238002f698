using System.Buffers;
using System.Text.Json;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Gordo.Frames.Json;
using Gordo.Grains.Store;

namespace Gordo.Grains.Models;

/// <summary>
/// What the server reads from a model's metadata.json (and info.json): the input and target tag
/// names, the dataset resolution and, pre-rendered, the body of its <c>/metadata</c> response.
/// Problems that only some routes care about (no tag list, no resolution) are kept as messages and
/// raised by the routes that need them, so <c>/metadata</c> still answers.
/// </summary>
internal sealed class ModelDefinition
{
    private readonly string? _tagsError;
    private readonly string? _resolutionError;

    private ModelDefinition(ModelFiles files, ModelMetadataDocument metadata, string[] tags, string[] targets, string? tagsError,
        TimeSpan resolution, string? resolutionError)
    {
        Files = files;
        Metadata = metadata;
        Tags = tags;
        Targets = targets;
        _tagsError = tagsError;
        Resolution = resolution;
        _resolutionError = resolutionError;
    }

    public ModelFiles Files { get; }

    public ModelMetadataDocument Metadata { get; }

    /// <summary>Input tag names, in the model's column order.</summary>
    public string[] Tags { get; }

    /// <summary>Target tag names (the input tags when the metadata has none).</summary>
    public string[] Targets { get; }

    public TimeSpan Resolution { get; }

    public long MemoryBytes => Metadata.Members.Length + (64L * (Tags.Length + Targets.Length));

    /// <summary>Throws unless the tag lists could be read.</summary>
    /// <summary>The 500 for this model's broken files, naming the target and the reason.</summary>
    public MalformedModelException Malformed(string reason) => new(Files.Revision, Files.Target, reason);

    public void RequireTags()
    {
        if (_tagsError is not null)
        {
            throw new MalformedModelException(Files.Revision, Files.Target, _tagsError);
        }
    }

    /// <summary>True when metadata.json gives a usable resolution (the anomaly route needs one).</summary>
    public bool HasResolution => _resolutionError is null;

    public TimeSpan RequireResolution() =>
        _resolutionError is null ? Resolution : throw new MalformedModelException(Files.Revision, Files.Target, _resolutionError);

    /// <summary>Reads metadata.json and info.json.</summary>
    /// <exception cref="ModelNotFoundException">No metadata.json.</exception>
    /// <exception cref="MalformedModelException">metadata.json or info.json is not a JSON object.</exception>
    public static ModelDefinition Load(ModelFiles files, string configuredCollectionDirectory)
    {
        byte[] metadataBytes;
        try
        {
            metadataBytes = File.ReadAllBytes(files.MetadataPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ModelNotFoundException($"No model found for '{files.Target}' in revision '{files.Revision}'.");
        }

        using var metadata = ParseObject(files, metadataBytes, "metadata.json");
        JsonDocument? info = null;
        try
        {
            if (File.Exists(files.InfoPath))
            {
                info = ParseObject(files, File.ReadAllBytes(files.InfoPath), "info.json");
            }

            var document = RenderMetadata(metadata.RootElement, info?.RootElement, configuredCollectionDirectory);
            var root = metadata.RootElement;
            string[] tags = [];
            string[] targets = [];
            var tagsError = ReadTags(root, ref tags, ref targets);
            var resolutionError = ReadResolution(root, out var resolution);
            return new ModelDefinition(files, document, tags, targets, tagsError, resolution, resolutionError);
        }
        finally
        {
            info?.Dispose();
        }
    }

    private static JsonDocument ParseObject(ModelFiles files, byte[] bytes, string fileName)
    {
        JsonDocument document;
        try
        {
            document = SortedJsonWriter.ParseLenient(bytes);
        }
        catch (JsonException ex)
        {
            throw new MalformedModelException(files.Revision, files.Target, $"{fileName} is not valid JSON ({ex.Message})");
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new MalformedModelException(files.Revision, files.Target, $"{fileName} is not a JSON object");
        }

        return document;
    }

    /// <summary>The members of gordo's metadata body: info.json's keys, env, gordo-server-version and
    /// metadata, sorted (revision is appended per response).</summary>
    private static ModelMetadataDocument RenderMetadata(JsonElement metadata, JsonElement? info, string configuredCollectionDirectory)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, GordoJson.WriterOptions))
        {
            var members = new SortedDictionary<string, Action>(StringComparer.Ordinal);
            if (info is { } infoElement)
            {
                foreach (var property in infoElement.EnumerateObject())
                {
                    var value = property.Value;
                    members[property.Name] = () => SortedJsonWriter.Write(writer, value);
                }
            }

            members["env"] = () =>
            {
                writer.WriteStartObject();
                writer.WriteString("MODEL_COLLECTION_DIR", configuredCollectionDirectory);
                writer.WriteEndObject();
            };
            members["gordo-server-version"] = () => writer.WriteStringValue(GordoVersion.Current);
            members["metadata"] = () => SortedJsonWriter.Write(writer, metadata);

            writer.WriteStartObject();
            foreach (var (name, write) in members)
            {
                writer.WritePropertyName(name);
                write();
            }

            writer.WriteEndObject();
        }

        // Keep the members only: the route appends "revision" and closes the object.
        var written = buffer.WrittenSpan;
        return new ModelMetadataDocument(written[1..^1].ToArray());
    }

    private static string? ReadTags(JsonElement root, ref string[] tags, ref string[] targets)
    {
        if (!root.TryGetProperty("dataset", out var dataset) || dataset.ValueKind != JsonValueKind.Object)
        {
            return "metadata.json has no dataset object";
        }

        if (!dataset.TryGetProperty("tag_list", out var tagList) || tagList.ValueKind != JsonValueKind.Array || tagList.GetArrayLength() == 0)
        {
            return "metadata.json has no dataset.tag_list (a non-empty list of tags)";
        }

        var error = ReadTagNames(tagList, "dataset.tag_list", out tags);
        if (error is not null)
        {
            return error;
        }

        // An empty or missing target_tag_list means the input tags (gordo #1066).
        if (dataset.TryGetProperty("target_tag_list", out var targetList) && targetList.ValueKind == JsonValueKind.Array && targetList.GetArrayLength() > 0)
        {
            return ReadTagNames(targetList, "dataset.target_tag_list", out targets);
        }

        if (dataset.TryGetProperty("target_tag_list", out targetList) && targetList.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            return "metadata.json dataset.target_tag_list is not a list";
        }

        targets = tags;
        return null;
    }

    private static string? ReadTagNames(JsonElement list, string path, out string[] names)
    {
        names = new string[list.GetArrayLength()];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            // A tag is a string or an object with a name (a gordo SensorTag).
            string? name = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Object when item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String => n.GetString(),
                _ => null,
            };
            if (string.IsNullOrEmpty(name))
            {
                return $"metadata.json {path}[{i}] is neither a tag name nor an object with a name";
            }

            if (!seen.Add(name))
            {
                return $"metadata.json {path} names tag '{name}' twice";
            }

            names[i++] = name;
        }

        return null;
    }

    private static string? ReadResolution(JsonElement root, out TimeSpan resolution)
    {
        resolution = default;
        if (!root.TryGetProperty("dataset", out var dataset) || dataset.ValueKind != JsonValueKind.Object
            || !dataset.TryGetProperty("resolution", out var value) || value.ValueKind != JsonValueKind.String)
        {
            return "metadata.json has no dataset.resolution (needed for the anomaly frame's end column)";
        }

        var alias = value.GetString();
        return PandasOffset.TryParse(alias, out resolution)
            ? null
            : $"metadata.json dataset.resolution '{alias}' is not a fixed-length pandas offset such as 10T, 10min, 1H or 30S";
    }
}
