using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Onnx;

/// <summary>
/// Exports a <see cref="PcaAutoencoder"/> as an ONNX graph: input <c>X</c> [N, tags] →
/// MinMax scale (Mul, Add) → centre (Sub) → encode (MatMul) → decode to the targets (MatMul, Add) →
/// un-scale (Sub, Div) → [Slice off the first model_offset rows] → output <c>Y</c> [N - offset, targets].
/// </summary>
public static class PcaOnnxExporter
{
    public static OnnxModelWriter Export(PcaAutoencoder model, OnnxDataType type, string graphName)
    {
        var p = model.Mean.Length;
        var k = model.Components.Columns;
        var targets = model.TargetColumns;
        var q = targets.Length;
        var encoder = model.Components.Data;
        var decoder = new double[k * q];
        for (var j = 0; j < k; j++)
        {
            for (var t = 0; t < q; t++)
            {
                decoder[(j * q) + t] = model.Components[targets[t], j];
            }
        }

        var writer = new OnnxModelWriter
        {
            GraphName = graphName,
            InputName = "X",
            OutputName = "Y",
            ElementType = type,
            InputShape = [null, p],
            OutputShape = [null, q],
            DocString = $"MinMax-scaled PCA autoencoder: {p} tags, {k} components, {q} targets, model_offset {model.ModelOffset}.",
        };
        writer.Initializers.AddRange(
        [
            OnnxInitializer.Floats("x_scale", [p], model.Scaler.Scale, type),
            OnnxInitializer.Floats("x_min", [p], model.Scaler.Min, type),
            OnnxInitializer.Floats("x_mean", [p], model.Mean, type),
            OnnxInitializer.Floats("encoder", [p, k], encoder, type),
            OnnxInitializer.Floats("decoder", [k, q], decoder, type),
            OnnxInitializer.Floats("t_mean", [q], [.. targets.Select(t => model.Mean[t])], type),
            OnnxInitializer.Floats("t_min", [q], [.. targets.Select(t => model.Scaler.Min[t])], type),
            OnnxInitializer.Floats("t_scale", [q], [.. targets.Select(t => model.Scaler.Scale[t])], type),
        ]);
        var last = model.ModelOffset > 0 ? "unscaled" : "Y";
        writer.Nodes.AddRange(
        [
            new OnnxNode("Mul", ["X", "x_scale"], ["x_scaled_0"], "scale"),
            new OnnxNode("Add", ["x_scaled_0", "x_min"], ["x_scaled"], "shift"),
            new OnnxNode("Sub", ["x_scaled", "x_mean"], ["x_centered"], "center"),
            new OnnxNode("MatMul", ["x_centered", "encoder"], ["code"], "encode"),
            new OnnxNode("MatMul", ["code", "decoder"], ["reconstructed_0"], "decode"),
            new OnnxNode("Add", ["reconstructed_0", "t_mean"], ["reconstructed"], "uncenter"),
            new OnnxNode("Sub", ["reconstructed", "t_min"], ["unshifted"], "unshift"),
            new OnnxNode("Div", ["unshifted", "t_scale"], [last], "unscale"),
        ]);
        if (model.ModelOffset > 0)
        {
            writer.Initializers.Add(OnnxInitializer.Int64s("offset_start", model.ModelOffset));
            writer.Initializers.Add(OnnxInitializer.Int64s("offset_end", long.MaxValue));
            writer.Initializers.Add(OnnxInitializer.Int64s("offset_axis", 0));
            writer.Nodes.Add(new OnnxNode("Slice", ["unscaled", "offset_start", "offset_end", "offset_axis"], ["Y"], "lookback"));
        }

        return writer;
    }
}
