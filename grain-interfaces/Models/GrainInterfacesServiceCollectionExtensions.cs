using Gordo.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Gordo.GrainInterfaces;

public static class GrainInterfacesServiceCollectionExtensions
{
    /// <summary>Registers Gordo's grain interfaces, so that any process (silo or gateway) can call the grains.</summary>
    public static IServiceCollection AddGordoGrainInterfaces(this IServiceCollection services) =>
        services.AddGrainInterface<IModelGrain>(ModelGrainMethods.GrainType, static (id, invoker) => new ModelGrainReference(id, invoker));

    /// <summary>Lets other silos call this silo's model grains.</summary>
    public static IServiceCollection AddModelGrainRemoteMethods(this IServiceCollection services) => services
        .AddRemoteGrainMethod(ModelGrainMethods.GrainType, ModelGrainMethods.GetMetadata)
        .AddRemoteGrainMethod(ModelGrainMethods.GrainType, ModelGrainMethods.Load)
        .AddRemoteGrainMethod(ModelGrainMethods.GrainType, ModelGrainMethods.Predict)
        .AddRemoteGrainMethod(ModelGrainMethods.GrainType, ModelGrainMethods.Anomaly);
}
