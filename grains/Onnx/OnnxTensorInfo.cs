using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Grains.Onnx;

/// <summary>A session input or output: its name, element type and shape (-1 for a dynamic dimension).
/// <see cref="IsTensor"/> is false for sequences, maps and other non-tensor values.</summary>
public sealed record OnnxTensorInfo(string Name, bool IsTensor, TensorElementType ElementType, long[] Shape)
{
    public override string ToString() =>
        IsTensor ? $"{Name}: {ElementType}[{string.Join(", ", Shape.Select(d => d < 0 ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]" : $"{Name}: (not a tensor)";
}
