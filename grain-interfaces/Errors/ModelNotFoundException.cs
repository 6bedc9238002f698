namespace Gordo.GrainInterfaces;

/// <summary>404: the revision has no such model (no metadata.json, or no model.onnx where a model is needed).</summary>
[GenerateSerializer]
public sealed class ModelNotFoundException(string message) : GordoException(404, message);
