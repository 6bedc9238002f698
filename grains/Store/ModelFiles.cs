namespace Gordo.Grains.Store;

/// <summary>The files of one model target in one revision.</summary>
public sealed record ModelFiles(string Revision, string Target, string Directory)
{
    public string MetadataPath => Path.Combine(Directory, "metadata.json");

    public string ModelPath => Path.Combine(Directory, "model.onnx");

    public string InfoPath => Path.Combine(Directory, "info.json");
}
