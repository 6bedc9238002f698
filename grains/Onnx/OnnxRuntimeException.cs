namespace Gordo.Grains.Onnx;

/// <summary>ONNX Runtime refused a model or a run. The message is ONNX Runtime's own (without its
/// <c>[ErrorCode:...]</c> prefix), as gordo users know it from <c>ValueError: ...</c>.</summary>
public sealed class OnnxRuntimeException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Wraps the library's exception, keeping its message text.</summary>
    internal static OnnxRuntimeException From(Microsoft.ML.OnnxRuntime.OnnxRuntimeException ex)
    {
        var message = ex.Message;
        if (message.StartsWith("[ErrorCode:", StringComparison.Ordinal) && message.IndexOf("] ", StringComparison.Ordinal) is var end and > 0)
        {
            message = message[(end + 2)..];
        }

        return new OnnxRuntimeException(message, ex);
    }
}
