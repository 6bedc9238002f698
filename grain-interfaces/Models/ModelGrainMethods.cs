using Gordo.Runtime;

namespace Gordo.GrainInterfaces;

/// <summary>The methods of <see cref="IModelGrain"/> as the runtime sees them.</summary>
public static class ModelGrainMethods
{
    public const string GrainType = "model";

    public static readonly GrainMethod<IModelGrain, NoArguments, ModelMetadataDocument> GetMetadata =
        new("GetMetadata", static (grain, _, ct) => grain.GetMetadataAsync(ct), NoArgumentsCodec.Instance, ModelGrainCodecs.Metadata);

    public static readonly GrainMethod<IModelGrain, PredictionRequest, ResultFrame> Predict =
        new("Predict", static (grain, request, ct) => grain.PredictAsync(request, ct), ModelGrainCodecs.Prediction, ModelGrainCodecs.Result);

    public static readonly GrainMethod<IModelGrain, NoArguments, long> Load =
        new("Load", static (grain, _, ct) => grain.LoadAsync(ct), NoArgumentsCodec.Instance, PrimitiveCodecs.Int64);

    public static readonly GrainMethod<IModelGrain, AnomalyRequest, ResultFrame> Anomaly =
        new("Anomaly", static (grain, request, ct) => grain.AnomalyAsync(request, ct), ModelGrainCodecs.Anomaly, ModelGrainCodecs.Result);
}
