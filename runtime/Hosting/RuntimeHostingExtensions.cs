using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gordo.Runtime;

/// <summary>Registers the actor runtime: grain types, the catalog, membership, placement, transport and broadcasts.</summary>
public static class RuntimeHostingExtensions
{
    /// <summary>
    /// Adds the runtime. With <paramref name="hostsGrains"/> this process is a silo (it has a
    /// <see cref="Catalog"/>, collects idle activations, joins the membership and answers other silos);
    /// without it, it is a gateway that only routes calls. Membership lives in Redis when
    /// <c>Gordo:Cluster:Redis</c> is set, else in process (a cluster of one).
    /// </summary>
    public static IHostApplicationBuilder AddGordoRuntime(this IHostApplicationBuilder builder, bool hostsGrains = true)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddGordoMetricRegistry();
        services.TryAddSingleton(new RuntimeRole(hostsGrains));
        AddOptions<GrainCollectionOptions, GrainCollectionOptionsValidator>(services, GrainCollectionOptions.SectionName);
        AddOptions<ClusterOptions, ClusterOptionsValidator>(services, ClusterOptions.SectionName);
        AddOptions<SiloOptions, SiloOptionsValidator>(services, SiloOptions.SectionName);

        services.TryAddSingleton<RuntimeInstruments>();
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<IPlacementDirector, RendezvousPlacementDirector>();
        services.TryAddSingleton<SiloTransportClient>();
        services.TryAddSingleton<RemoteGrainMethodRegistry>();
        services.TryAddSingleton<ClusterBroadcast>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<IClusterMembership>(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>();
            var silo = sp.GetRequiredService<IOptions<SiloOptions>>();
            return cluster.Value.IsClustered
                ? new RedisMembership(sp.GetRequiredService<RedisConnection>(), cluster, silo, hostsGrains, sp.GetRequiredService<ILogger<RedisMembership>>())
                : new InProcessMembership(silo.Value.Name, silo.Value.HttpEndpoint);
        });
        services.TryAddSingleton<IGrainCallInvoker>(sp => new GrainCallRouter(
            sp.GetRequiredService<IClusterMembership>(),
            sp.GetRequiredService<IPlacementDirector>(),
            sp.GetRequiredService<IOptions<SiloOptions>>(),
            sp.GetRequiredService<SiloTransportClient>(),
            sp.GetRequiredService<RuntimeInstruments>(),
            sp.GetRequiredService<ILogger<GrainCallRouter>>(),
            sp.GetService<Catalog>()));
        services.AddHostedService<SiloLifecycle>();

        // Log levels change at runtime; the cluster's desired levels apply when the process starts.
        var logLevels = new LogLevelConfigurationSource();
        builder.Configuration.Sources.Add(logLevels);
        services.TryAddSingleton(logLevels);
        services.TryAddSingleton<RuntimeLogLevels>();
        services.TryAddSingleton<ILogLevelStore>(sp => sp.GetRequiredService<RedisConnection>().IsConfigured
            ? new RedisLogLevelStore(sp.GetRequiredService<RedisConnection>())
            : new InMemoryLogLevelStore());
        services.AddHostedService<LogLevelSync>();

        if (hostsGrains)
        {
            services.TryAddSingleton<Catalog>();
            services.AddHostedService<ActivationCollector>();
            services.AddHostedService<PlacementGuard>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, RuntimeControlHandlers.StatsHandler>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, RuntimeControlHandlers.ActivationsHandler>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, RuntimeControlHandlers.DeactivateHandler>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, LogLevelHandlers.GetHandler>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, LogLevelHandlers.SetHandler>());
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

    /// <summary>Lets other silos call <paramref name="method"/> on this silo's grains of <paramref name="grainType"/>.</summary>
    public static IServiceCollection AddRemoteGrainMethod<TGrain, TRequest, TResponse>(
        this IServiceCollection services,
        string grainType,
        GrainMethod<TGrain, TRequest, TResponse> method)
        where TGrain : IGrain
    {
        services.AddSingleton<IRemoteGrainMethod>(new RemoteGrainMethod<TGrain, TRequest, TResponse>(grainType, method));
        return services;
    }

    /// <summary>Registers a grain class that this silo activates for <paramref name="grainType"/>.</summary>
    public static IServiceCollection AddGrain<TGrain>(this IServiceCollection services, string grainType) where TGrain : Grain
    {
        services.AddSingleton(new GrainClassRegistration(grainType, typeof(TGrain)));
        return services;
    }

    private static void AddOptions<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
