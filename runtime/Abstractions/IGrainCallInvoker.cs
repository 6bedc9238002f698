namespace Gordo.Runtime;

/// <summary>Delivers a grain call to the grain's single activation, wherever in the cluster it lives.</summary>
public interface IGrainCallInvoker
{
    ValueTask<TResponse> InvokeAsync<TGrain, TRequest, TResponse>(
        GrainId grainId,
        GrainMethod<TGrain, TRequest, TResponse> method,
        TRequest request,
        CancellationToken cancellationToken)
        where TGrain : IGrain;
}
