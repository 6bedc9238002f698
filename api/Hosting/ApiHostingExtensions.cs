using Gordo.Api.Gordo;
using Gordo.Grains.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gordo.Api.Hosting;

public static class ApiHostingExtensions
{
    /// <summary>The HTTP front end's services: its options, the model store and the eviction hook.</summary>
    public static IHostApplicationBuilder AddGordoApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>());
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();
        services.TryAddSingleton<ExpectedModelsDocument>();
        services.TryAddSingleton<IModelEvictor, CatalogModelEvictor>();
        builder.AddModelStore();
        return builder;
    }

    /// <summary>Kestrel's body limit follows <see cref="ApiOptions.MaxRequestBytes"/> (its default, 30 MB, is below a gordo client batch).</summary>
    private sealed class KestrelLimits(IOptions<ApiOptions> options) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions kestrel) => kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBytes;
    }
}
