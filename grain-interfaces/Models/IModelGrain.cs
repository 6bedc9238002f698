namespace Gordo.GrainInterfaces;

/// <summary>
/// One model target of one revision (key <see cref="ModelKey"/>, grain type <c>model</c>). It reads its
/// metadata on activation and its ONNX pipeline on first prediction, and exists once in the whole cluster.
/// Requests and results are immutable on the wire: a call within one silo passes them without a copy.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>The model's <c>/metadata</c> body; 404 when the model has no metadata.json.</summary>
    ValueTask<ModelMetadataDocument> GetMetadataAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs the model on X (<c>/prediction</c>): model-input and model-output groups.</summary>
    ValueTask<ResultFrame> PredictAsync(PredictionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Loads the model now if it is not loaded (an operator's reload warms it); returns the bytes it holds.</summary>
    ValueTask<long> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Loads the model if it is not loaded and describes its tensors (the V2 protocol's model metadata).</summary>
    ValueTask<ModelSignature> GetSignatureAsync(CancellationToken cancellationToken = default);

    /// <summary>Runs the model and its diff-based anomaly detector (<c>/anomaly/prediction</c>).</summary>
    ValueTask<ResultFrame> AnomalyAsync(AnomalyRequest request, CancellationToken cancellationToken = default);
}
