using System.Text.Json;

namespace Gordo.Api.V2;

/// <summary>A <see cref="ModelSignature"/> as the protocol's model metadata (REST and gRPC alike).</summary>
internal static class V2Signatures
{
    public static IEnumerable<TensorMetadata> Inputs(ModelSignature signature)
    {
        yield return new TensorMetadata(signature.InputName, signature.InputIsDouble ? TensorDatatype.FP64 : TensorDatatype.FP32, [-1, signature.Tags.Length]);
        if (signature.IsAnomalyModel)
        {
            // Optional: the anomaly outputs compare the model's output with it.
            yield return new TensorMetadata(V2Inference.TargetsInput, TensorDatatype.FP64, [-1, signature.Targets.Length]);
        }
    }

    public static IEnumerable<TensorMetadata> Outputs(ModelSignature signature)
    {
        yield return new TensorMetadata(signature.OutputName, signature.OutputIsDouble ? TensorDatatype.FP64 : TensorDatatype.FP32,
            [-1, signature.OutputWidth ?? -1]);
        foreach (var name in signature.AnomalyOutputs)
        {
            yield return new TensorMetadata(name, TensorDatatype.FP64, ModelSignature.IsSingleColumn(name) ? [-1] : [-1, signature.Targets.Length]);
        }
    }

    /// <summary>The column order of the tensors: the input tags and the target tags, as JSON arrays.</summary>
    public static IEnumerable<(string Name, string Value)> Properties(ModelSignature signature)
    {
        yield return ("tags", JsonSerializer.Serialize(signature.Tags, V2JsonContext.Default.StringArray));
        yield return ("targets", JsonSerializer.Serialize(signature.Targets, V2JsonContext.Default.StringArray));
    }
}
