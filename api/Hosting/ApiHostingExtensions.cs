using Gordo.Api.Gordo;
using Gordo.Silo;
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
        services.TryAddSingleton<Http.LargeBlockMemoryPoolInstruments>();
        services.TryAddSingleton(TimeProvider.System);
        // Added, not tried: Kestrel tries to add its 4 KiB-block factory, and the last one added is the one used.
        services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>, Http.LargeBlockMemoryPoolFactory>();
        services.TryAddSingleton<ExpectedModelsDocument>();
        services.TryAddSingleton<Admin.AdminAuthThrottle>();
        services.TryAddSingleton<Admin.AdminAuthorization>();
        services.TryAddSingleton<Http.FrameWorkGate>();
        services.TryAddSingleton<Http.FrameBudget>();
        services.AddOptions<Metrics.MetricsOptions>().BindConfiguration(Metrics.MetricsOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Metrics.MetricsOptions>, Metrics.MetricsOptionsValidator>());
        services.TryAddSingleton<Metrics.GordoServerInstruments>();
        builder.AddPrometheusMetrics();
        services.TryAddSingleton<IModelEvictor, BroadcastModelEvictor>();
        services.TryAddSingleton<Cluster.ModelCalls>();
        services.TryAddSingleton<V2.V2Models>();
        services.TryAddSingleton<V2.V2Inference>();
        services.AddGrpc();
        services.TryAddSingleton<Grpc.AspNetCore.Server.Model.IServiceMethodProvider<V2.Grpc.InferenceGrpcService>, V2.Grpc.InferenceGrpcMethods>();
        // gRPC's own 4 MB default would refuse requests the HTTP routes take: the same limit for both.
        services.AddOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>().Configure<IOptions<ApiOptions>>((grpc, api) =>
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, api.Value.MaxRequestBytes));
        builder.AddModelStore();
        return builder;
    }

    /// <summary>
    /// Kestrel's hard body limit sits above <see cref="ApiOptions.MaxRequestBytes"/> (its own default,
    /// 30 MB, is below a gordo client batch). The API answers an oversized body with 413 itself; the
    /// slack lets Kestrel drain the rest of the body afterwards instead of resetting the connection
    /// while the client is still sending, which would hide the 413 from it.
    /// </summary>
    private sealed class KestrelLimits(IOptions<ApiOptions> options) : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions kestrel)
        {
            var limit = options.Value.MaxRequestBytes;
            kestrel.Limits.MaxRequestBodySize = limit + Math.Max(limit, 16L * 1024 * 1024);
        }
    }
}
