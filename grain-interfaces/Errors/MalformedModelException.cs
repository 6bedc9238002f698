namespace Gordo.GrainInterfaces;

/// <summary>
/// 500: the model's files on disk are broken (metadata.json not JSON, model.onnx not loadable, shapes
/// that disagree with the tag lists, an invalid <c>gordo.anomaly</c> value). This is a fault of the
/// deployed model, not of the request, so it is a server error, as in gordo; the message names the
/// target and the reason, and every other target keeps serving.
/// </summary>
[GenerateSerializer]
public sealed class MalformedModelException(string revision, string target, string reason)
    : GordoException(500, $"Model '{target}' in revision '{revision}' is malformed: {reason}")
{
    [Id(0)]
    public string Revision { get; private set; } = revision;

    [Id(1)]
    public string Target { get; private set; } = target;

    [Id(2)]
    public string Reason { get; private set; } = reason;
}
