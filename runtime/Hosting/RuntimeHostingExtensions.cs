using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>Registers the actor runtime: grain types, the catalog, membership, placement and call routing.</summary>
public static class RuntimeHostingExtensions
{
    /// <summary>
    /// Adds the runtime. With <paramref name="hostsGrains"/> this process is a silo (it has a
    /// <see cref="Catalog"/>, collects idle activations and joins the membership); without it, it is
    /// a gateway that only routes calls. Membership defaults to <see cref="InProcessMembership"/>.
    /// </summary>
    public static IHostApplicationBuilder AddGordoRuntime(this IHostApplicationBuilder builder, bool hostsGrains = true)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.TryAddSingleton<RuntimeInstruments>();
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<IPlacementDirector, RendezvousPlacementDirector>();
        services.TryAddSingleton<IClusterMembership>(_ => new InProcessMembership(Environment.MachineName));
        services.TryAddSingleton<IGrainFactory, GrainFactory>();

        services.AddOptions<GrainCollectionOptions>().BindConfiguration(GrainCollectionOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainCollectionOptions>, GrainCollectionOptionsValidator>());

        if (hostsGrains)
        {
            services.TryAddSingleton<Catalog>();
            services.TryAddSingleton<IGrainCallInvoker>(sp => new GrainCallRouter(
                sp.GetRequiredService<IClusterMembership>(), sp.GetRequiredService<IPlacementDirector>(), sp.GetRequiredService<Catalog>()));
            services.AddHostedService<SiloLifecycle>();
            services.AddHostedService<ActivationCollector>();
        }
        else
        {
            services.TryAddSingleton<IGrainCallInvoker>(sp => new GrainCallRouter(
                sp.GetRequiredService<IClusterMembership>(), sp.GetRequiredService<IPlacementDirector>()));
        }

        return builder;
    }

    /// <summary>Registers a grain interface and how to build references to its grains.</summary>
    public static IServiceCollection AddGrainInterface<TGrainInterface>(
        this IServiceCollection services,
        string grainType,
        Func<GrainId, IGrainCallInvoker, TGrainInterface> createReference)
        where TGrainInterface : class, IGrain
    {
        services.AddSingleton(new GrainInterfaceRegistration(typeof(TGrainInterface), grainType, (id, invoker) => createReference(id, invoker)));
        return services;
    }

    /// <summary>Registers a grain class that this silo activates for <paramref name="grainType"/>.</summary>
    public static IServiceCollection AddGrain<TGrain>(this IServiceCollection services, string grainType) where TGrain : Grain
    {
        services.AddSingleton(new GrainClassRegistration(grainType, typeof(TGrain)));
        return services;
    }
}
