using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prometheus;

namespace Gordo.Grains.Hosting;

public static class MetricRegistryServiceCollectionExtensions
{
    /// <summary>One prometheus-net registry per host, and the factory that makes collectors in it.</summary>
    public static IServiceCollection AddGordoMetricRegistry(this IServiceCollection services)
    {
        services.TryAddSingleton(_ => Metrics.NewCustomRegistry());
        services.TryAddSingleton<IMetricFactory>(sp => Metrics.WithCustomRegistry(sp.GetRequiredService<CollectorRegistry>()));
        return services;
    }
}
