using Gordo.Runtime;

namespace Gordo.GrainInterfaces;

/// <summary>A reference to a model grain: each call goes through the runtime to the grain's owner.</summary>
public sealed class ModelGrainReference(GrainId grainId, IGrainCallInvoker invoker) : IModelGrain
{
    public GrainId GrainId { get; } = grainId;

    public ValueTask<ModelMetadataDocument> GetMetadataAsync(CancellationToken cancellationToken) =>
        invoker.InvokeAsync(GrainId, ModelGrainMethods.GetMetadata, NoArguments.Value, cancellationToken);

    public ValueTask<ResultFrame> PredictAsync(PredictionRequest request, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(GrainId, ModelGrainMethods.Predict, request, cancellationToken);

    public ValueTask<long> LoadAsync(CancellationToken cancellationToken) =>
        invoker.InvokeAsync(GrainId, ModelGrainMethods.Load, NoArguments.Value, cancellationToken);

    public ValueTask<ResultFrame> AnomalyAsync(AnomalyRequest request, CancellationToken cancellationToken) =>
        invoker.InvokeAsync(GrainId, ModelGrainMethods.Anomaly, request, cancellationToken);
}
