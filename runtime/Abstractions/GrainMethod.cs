namespace Gordo.Runtime;

/// <summary>
/// Describes one method of a grain interface: its wire name, how to invoke it on an activation, and
/// the codecs that carry its request and response between silos. Grain references call the runtime
/// with a descriptor instead of generated proxy code (Orleans generates the equivalent).
/// </summary>
public sealed class GrainMethod<TGrain, TRequest, TResponse>(
    string name,
    Func<TGrain, TRequest, CancellationToken, ValueTask<TResponse>> invoke,
    IWireCodec<TRequest> requestCodec,
    IWireCodec<TResponse> responseCodec)
    where TGrain : IGrain
{
    /// <summary>The method's name on the wire, unique within its grain interface.</summary>
    public string Name { get; } = name;

    /// <summary>Invokes the method on a local activation.</summary>
    public Func<TGrain, TRequest, CancellationToken, ValueTask<TResponse>> Invoke { get; } = invoke;

    public IWireCodec<TRequest> RequestCodec { get; } = requestCodec;

    public IWireCodec<TResponse> ResponseCodec { get; } = responseCodec;

    public override string ToString() => $"{typeof(TGrain).Name}.{Name}";
}
