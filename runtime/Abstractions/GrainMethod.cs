namespace Gordo.Runtime;

/// <summary>
/// Describes one method of a grain interface: its wire name and how to invoke it on an activation.
/// Grain references call the runtime with a descriptor instead of generated proxy code (Orleans
/// generates the equivalent); remote transports use <see cref="Name"/> and the request/response
/// codecs to carry the call between silos.
/// </summary>
public sealed class GrainMethod<TGrain, TRequest, TResponse>(
    string name,
    Func<TGrain, TRequest, CancellationToken, ValueTask<TResponse>> invoke)
    where TGrain : IGrain
{
    /// <summary>The method's name on the wire, unique within its grain interface.</summary>
    public string Name { get; } = name;

    /// <summary>Invokes the method on a local activation.</summary>
    public Func<TGrain, TRequest, CancellationToken, ValueTask<TResponse>> Invoke { get; } = invoke;

    public override string ToString() => $"{typeof(TGrain).Name}.{Name}";
}
