using Gordo.Grains.Onnx;

namespace Gordo.Grains.Models;

/// <summary>A model run's first output as pooled row-major float64, with its shape (rank 1 or 2 when well-formed).</summary>
internal readonly record struct RunOutput(double[] Output, int Rows, int Width, int Rank)
{
    public static RunOutput From(OnnxTensor tensor)
    {
        var shape = tensor.Shape;
        var rows = shape.Length >= 1 ? shape[0] : 0;
        var width = shape.Length == 2 ? shape[1] : 1;
        var output = PooledArrays.Rent<double>(Math.Max(1, tensor.ElementCount));
        tensor.CopyTo(output);
        return new RunOutput(output, (int)Math.Clamp(rows, -1, int.MaxValue), (int)Math.Clamp(width, -1, int.MaxValue), shape.Length);
    }
}
