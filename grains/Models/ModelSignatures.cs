using Gordo.GrainInterfaces;
using Gordo.Grains.Anomaly;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Gordo.Grains.Models;

/// <summary>Describes a loaded model as the tensors it takes and gives (<see cref="ModelSignature"/>).</summary>
internal static class ModelSignatures
{
    public static ModelSignature Describe(ModelDefinition definition, LoadedModel model)
    {
        var input = model.Session.Inputs[0];
        var output = model.Session.Outputs[0];
        return new ModelSignature(
            input.Name,
            input.ElementType == TensorElementType.Double,
            definition.Tags,
            output.Name,
            output.ElementType == TensorElementType.Double,
            model.OutputWidth,
            definition.Targets,
            AnomalyOutputs(definition, model));
    }

    /// <summary>The groups gordo's anomaly route answers for this model, in its order; none when the
    /// route would refuse the model (no or an invalid detector, thresholds required but missing, no resolution).</summary>
    private static string[] AnomalyOutputs(ModelDefinition definition, LoadedModel model)
    {
        if (model.Detector is not { } detector || model.DetectorError is not null || (detector.RequireThresholds && !detector.HasThresholds)
            || !definition.HasResolution || (model.OutputWidth is { } width && width != definition.Targets.Length))
        {
            return [];
        }

        var outputs = new List<string>(12) { "tag-anomaly-scaled", "total-anomaly-scaled", "tag-anomaly-unscaled", "total-anomaly-unscaled" };
        if (detector.Smoothing is not null && detector.Window is not null)
        {
            outputs.AddRange(AnomalyFrameBuilder.SmoothedGroups);
        }

        if (detector.FeatureThresholds is not null)
        {
            outputs.Add("anomaly-confidence");
        }

        if (detector.AggregateThreshold is not null)
        {
            outputs.Add("total-anomaly-confidence");
        }

        return [.. outputs];
    }
}
