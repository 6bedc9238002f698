namespace Gordo.Runtime;

/// <summary>Builds grain references that route their calls through the <see cref="IGrainCallInvoker"/>.</summary>
public sealed class GrainFactory(GrainTypeRegistry registry, IGrainCallInvoker invoker) : IGrainFactory
{
    public TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey =>
        registry.CreateReference<TGrainInterface>(key, invoker);
}
