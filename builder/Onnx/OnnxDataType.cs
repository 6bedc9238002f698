namespace Gordo.ModelBuilder.Onnx;

/// <summary>ONNX <c>TensorProto.DataType</c> values the builder writes.</summary>
public enum OnnxDataType
{
    Float = 1,
    Int64 = 7,
    Double = 11,
}
