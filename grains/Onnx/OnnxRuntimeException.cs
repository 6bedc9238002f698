namespace Gordo.Grains.Onnx;

/// <summary>An <c>OrtStatus</c> error from ONNX Runtime, with its code and ONNX Runtime's own message.</summary>
public sealed class OnnxRuntimeException(OrtErrorCode code, string message) : Exception(message)
{
    public OrtErrorCode Code { get; } = code;
}
