using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gordo.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Gordo's settings onto Orleans: a silo (<see cref="AddGordoOrleansSilo"/>) or a client
/// (<see cref="AddGordoOrleansClient"/>), with localhost clustering for a lone process and Redis
/// clustering with <c>GORDO_REDIS</c>, plus what Gordo adds: per-silo control grains and their
/// broadcasts, stored log levels, request ids on grain calls.
/// </summary>
public static class OrleansHostingExtensions
{
    public static IHostApplicationBuilder AddGordoOrleansSilo(this IHostApplicationBuilder builder)
    {
        var (cluster, silo) = AddCommon(builder, hostsGrains: true);
        var idle = builder.Configuration.GetSection(IdleCollectionOptions.SectionName).Get<IdleCollectionOptions>() ?? new IdleCollectionOptions();
        var bind = silo.BindAddress;
        var siloPort = silo.Port > 0 ? silo.Port : FreePort.On(bind);

        // A lone silo serves only its own process: no gateway port is opened.
        var gatewayPort = silo.GatewayPort > 0 ? silo.GatewayPort : cluster.IsClustered ? FreePort.On(bind) : 0;
        builder.Services.AddHostedService<RedisStartupGate>();
        builder.UseOrleans(orleans =>
        {
            if (cluster.IsClustered)
            {
                orleans.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster.Redis!));
            }
            else
            {
                orleans.UseLocalhostClustering(siloPort, gatewayPort, null, cluster.ServiceId, cluster.ClusterId);
            }

            orleans.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ServiceId = cluster.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });
            orleans.Configure<SiloOptions>(o => o.SiloName = silo.Name);
            orleans.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = silo.AdvertisedAddress;
                o.SiloPort = siloPort;
                o.GatewayPort = gatewayPort;
                o.SiloListeningEndpoint = new IPEndPoint(bind, siloPort);
                o.GatewayListeningEndpoint = gatewayPort > 0 ? new IPEndPoint(bind, gatewayPort) : null;
            });
            orleans.Configure<ClusterMembershipOptions>(o =>
            {
                // Three missed probes of a fifth of the death timeout, and a vote, declare a silo dead. A
                // silo whose own health is degraded (starved of CPU) waits longer before it suspects others.
                o.ProbeTimeout = cluster.ProbeTimeout;
                o.NumMissedProbesLimit = 3;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = cluster.ProbeTimeout;
                o.IAmAliveTablePublishTimeout = cluster.DeathTimeout;
                o.DeathVoteExpirationTimeout = cluster.DeathTimeout * 2;
                o.LocalHealthDegradationMonitoringPeriod = cluster.ProbeTimeout;
            });
            orleans.Configure<GrainCollectionOptions>(o =>
            {
                o.CollectionAge = idle.CollectionAge;
                o.CollectionQuantum = idle.CollectionQuantum < idle.CollectionAge ? idle.CollectionQuantum : idle.CollectionAge / 2;
                o.DeactivationTimeout = idle.DeactivationTimeout;
            });
            orleans.Configure<SiloMessagingOptions>(o =>
            {
                o.MaxMessageBodySize = cluster.MaxMessageBytes;
                o.ResponseTimeout = silo.CallTimeout;
            });
            orleans.Services.AddPlacementDirector<SiloControlPlacement, SiloControlPlacementDirector>();
            orleans.AddIncomingGrainCallFilter<RequestIdCallFilter>();
            orleans.AddDashboard();
            if (ClusterCertificate.Load(cluster) is { } certificate)
            {
                orleans.UseTls(certificate, tls => ClusterCertificate.RequireMutual(tls, certificate));
            }
        });

        // Registered after Orleans' defaults, so it replaces Orleans' handler.
        builder.Services.AddSingleton<IFatalErrorHandler, GordoFatalErrorHandler>();

        var services = builder.Services;
        services.AddHostedService<MembershipTableKeeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, SiloStatsHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, LogLevelHandlers.GetHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloControlHandler, LogLevelHandlers.SetHandler>());
        return builder;
    }

    public static IHostApplicationBuilder AddGordoOrleansClient(this IHostApplicationBuilder builder)
    {
        var (cluster, _) = AddCommon(builder, hostsGrains: false);
        builder.UseOrleansClient(client =>
        {
            if (cluster.IsClustered)
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(cluster.Redis!));
            }

            client.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ServiceId = cluster.ServiceId;
                o.ClusterId = cluster.ClusterId;
            });
            client.Configure<ClientMessagingOptions>(o => o.MaxMessageBodySize = cluster.MaxMessageBytes);

            // The table is re-read every probe timeout: a silo declared dead stops being a gateway (and the calls
            // routed through it are sent again) soon after, and one that joins becomes a gateway as soon.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.ProbeTimeout);
            client.UseConnectionRetryFilter(static async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                return true;
            });
            client.AddGatewayCountChangedHandler(sp => (_, e) =>
            {
                sp.GetRequiredService<GatewayConnections>().Changed(e.NumberOfConnectedGateways);
                if (e.NumberOfConnectedGateways < e.PreviousNumberOfConnectedGateways)
                {
                    sp.GetRequiredService<SiloLossSignal>().Lost($"{e.PreviousNumberOfConnectedGateways - e.NumberOfConnectedGateways} gateway connection(s) lost");
                }
            });
            client.AddDashboard();
            if (ClusterCertificate.Load(cluster) is { } certificate)
            {
                client.UseTls(certificate, tls => ClusterCertificate.RequireMutual(tls, certificate));
            }
        });
        return builder;
    }

    private static (GordoClusterOptions Cluster, GordoSiloOptions Silo) AddCommon(IHostApplicationBuilder builder, bool hostsGrains)
    {
        var services = builder.Services;
        services.AddMetrics();
        services.AddGordoMetricRegistry();
        services.TryAddSingleton(new GordoRole(hostsGrains));
        AddOptions<IdleCollectionOptions, IdleCollectionOptionsValidator>(services, IdleCollectionOptions.SectionName);
        AddOptions<GordoClusterOptions, GordoClusterOptionsValidator>(services, GordoClusterOptions.SectionName);
        AddOptions<GordoSiloOptions, GordoSiloOptionsValidator>(services, GordoSiloOptions.SectionName);
        services.AddOptions<LogLevelSyncOptions>().BindConfiguration(LogLevelSyncOptions.SectionName);
        services.TryAddSingleton<RedisConnection>();
        services.TryAddSingleton<ClusterMembers>();
        services.TryAddSingleton<GatewayConnections>();
        services.TryAddSingleton<SiloLossSignal>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloLossSignal>());
        services.TryAddSingleton<BroadcastInstruments>();
        services.TryAddSingleton<ClusterBroadcast>();

        // Log levels change at runtime; the cluster's stored levels apply when the process starts and after.
        var logLevels = new LogLevelConfigurationSource();
        builder.Configuration.Sources.Add(logLevels);
        services.TryAddSingleton(logLevels);
        services.TryAddSingleton<LogLevels>();
        services.TryAddSingleton<ILogLevelStore>(sp => sp.GetRequiredService<RedisConnection>().IsConfigured
            ? new RedisLogLevelStore(sp.GetRequiredService<RedisConnection>())
            : new InMemoryLogLevelStore());
        services.AddHostedService<LogLevelSync>();

        var cluster = builder.Configuration.GetSection(GordoClusterOptions.SectionName).Get<GordoClusterOptions>() ?? new GordoClusterOptions();
        var silo = builder.Configuration.GetSection(GordoSiloOptions.SectionName).Get<GordoSiloOptions>() ?? new GordoSiloOptions();
        return (cluster, silo);
    }

    private static ConfigurationOptions RedisOptions(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        return options;
    }

    private static void AddOptions<TOptions, TValidator>(IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
