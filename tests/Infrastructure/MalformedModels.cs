using System.Text;
using Gordo.ModelBuilder.Onnx;
using Gordo.ModelBuilder.Output;

namespace Gordo.Tests.Infrastructure;

/// <summary>Broken targets, made from a good one by damaging one file each.</summary>
public static class MalformedModels
{
    public const string BadJson = "bad-json";
    public const string CorruptOnnx = "corrupt-onnx";
    public const string WrongShape = "wrong-shape";
    public const string BadAnomalySpec = "bad-anomaly";
    public const string NoModelFile = "no-model-file";
    public const string NoTagList = "no-tag-list";
    public const string DynamicWidth = "dynamic-width";

    public static void Write(string revisionDirectory)
    {
        var source = Path.Combine(revisionDirectory, "pump-1");

        // metadata.json that is not JSON.
        Copy(source, revisionDirectory, BadJson);
        File.WriteAllText(Path.Combine(revisionDirectory, BadJson, "metadata.json"), "{\"name\": \"bad-json\", \"dataset\": {");

        // model.onnx that is not a model.
        Copy(source, revisionDirectory, CorruptOnnx);
        File.WriteAllBytes(Path.Combine(revisionDirectory, CorruptOnnx, "model.onnx"), Encoding.ASCII.GetBytes("this is not an ONNX model at all"));

        // A model built for 5 tags under metadata listing 6.
        var five = ModelTrainer.Build(new ModelBuildSpec { Name = WrongShape, Tags = 5, Seed = 31, Rows = 600 }, revisionDirectory);
        File.Copy(Path.Combine(source, "metadata.json"), Path.Combine(five.Directory, "metadata.json"), overwrite: true);

        // A graph that declares a dynamic input width but holds weights for 5 columns, under metadata for 6:
        // nothing is wrong until ONNX Runtime runs it.
        var six = ModelTrainer.Build(new ModelBuildSpec { Name = DynamicWidth, Tags = 6, Seed = 33, Rows = 600 }, revisionDirectory);
        var exported = PcaOnnxExporter.Export(five.Model, OnnxDataType.Float, DynamicWidth);
        var dynamic = new OnnxModelWriter
        {
            GraphName = exported.GraphName,
            InputName = exported.InputName,
            OutputName = exported.OutputName,
            ElementType = exported.ElementType,
            InputShape = [null, null],
            OutputShape = exported.OutputShape,
        };
        dynamic.Nodes.AddRange(exported.Nodes);
        dynamic.Initializers.AddRange(exported.Initializers);
        File.WriteAllBytes(Path.Combine(six.Directory, "model.onnx"), dynamic.ToBytes());

        // A gordo.anomaly value whose scaler has the wrong length: rewrite the metadata_props value in place.
        ModelTrainer.Build(new ModelBuildSpec { Name = BadAnomalySpec, Tags = 6, Seed = 32, Rows = 600 }, revisionDirectory);
        var onnxPath = Path.Combine(revisionDirectory, BadAnomalySpec, "model.onnx");
        var bytes = File.ReadAllBytes(onnxPath);
        var text = Encoding.Latin1.GetString(bytes);
        var kind = text.IndexOf("\"kind\":\"diff\"", StringComparison.Ordinal);
        if (kind < 0)
        {
            throw new InvalidOperationException("The gordo.anomaly value was not found in the built model.");
        }

        // Same length, so the protobuf stays valid: "diff" becomes "ddff", an unknown detector kind.
        bytes[kind + 9] = (byte)'d';
        File.WriteAllBytes(onnxPath, bytes);

        // Metadata without model.onnx.
        Copy(source, revisionDirectory, NoModelFile);
        File.Delete(Path.Combine(revisionDirectory, NoModelFile, "model.onnx"));

        // Metadata without dataset.tag_list (the metadata route still works).
        Copy(source, revisionDirectory, NoTagList);
        File.WriteAllText(Path.Combine(revisionDirectory, NoTagList, "metadata.json"),
            "{\"name\": \"no-tag-list\", \"dataset\": {\"resolution\": \"10T\"}, \"metadata\": {}}");
    }

    private static void Copy(string source, string revisionDirectory, string name)
    {
        var target = Path.Combine(revisionDirectory, name);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }
}
