using Gordo.GrainInterfaces;
using Gordo.Grains.Models;
using Gordo.Grains.Onnx;
using Gordo.Grains.Store;
using Gordo.Grains.Activations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Grains.Hosting;

public static class GrainsHostingExtensions
{
    /// <summary>The model store (read by silos and gateways alike: listing, download, delete).</summary>
    public static IHostApplicationBuilder AddModelStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModelStoreOptions>().BindConfiguration(ModelStoreOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelStoreOptions>, ModelStoreOptionsValidator>());
        builder.Services.TryAddSingleton<ModelStore>();
        return builder;
    }

    /// <summary>Model grains and what they run on: ONNX Runtime, the model store, their metrics.</summary>
    public static IHostApplicationBuilder AddModelGrains(this IHostApplicationBuilder builder)
    {
        builder.AddModelStore();
        var services = builder.Services;
        services.AddOptions<OnnxRuntimeOptions>().BindConfiguration(OnnxRuntimeOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OnnxRuntimeOptions>, OnnxRuntimeOptionsValidator>());
        services.TryAddSingleton(sp => OnnxEnvironment.GetOrCreate(sp.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value));
        services.AddOptions<ModelBatchingOptions>().BindConfiguration(ModelBatchingOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelBatchingOptions>, ModelBatchingOptionsValidator>());
        services.TryAddSingleton<ModelGrainInstruments>();
        services.AddOptions<ModelMemoryOptions>().BindConfiguration(ModelMemoryOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelMemoryOptions>, ModelMemoryOptionsValidator>());
        services.TryAddSingleton<ModelActivations>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, ModelControlHandlers.ReloadHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, ActivationControlHandlers.ActivationsHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, ActivationControlHandlers.DeactivateHandler>());
        return builder;
    }
}
