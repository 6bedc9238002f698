using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gordo.Silo.Cluster;

/// <summary>
/// The process's one connection to the cluster's Redis (desired log levels; Orleans keeps its own for membership). It never
/// fails to "connect": while Redis is unreachable, commands fail fast and the connection keeps
/// retrying in the background. Keys live under <see cref="KeyPrefix"/>.
/// </summary>
public sealed class RedisConnection(IOptions<GordoClusterOptions> options, GordoRole role, IOptions<GordoSiloOptions> silo) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;

    public bool IsConfigured => options.Value.IsClustered;

    /// <summary><c>gordo:&lt;service&gt;:&lt;cluster&gt;:</c></summary>
    public string KeyPrefix => $"gordo:{options.Value.ServiceId}:{options.Value.ClusterId}:";

    public async Task<ConnectionMultiplexer> GetAsync()
    {
        if (_multiplexer is { } ready)
        {
            return ready;
        }

        await _connecting.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_multiplexer is null)
            {
                var configuration = ConfigurationOptions.Parse(options.Value.Redis ?? throw new InvalidOperationException("No Redis is configured (GORDO_REDIS)."));
                configuration.AbortOnConnectFail = false;
                configuration.ConnectTimeout = 2000;
                configuration.SyncTimeout = 2000;
                configuration.ClientName = $"gordo-{role.Name}-{silo.Value.Name}";
                _multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
            }

            return _multiplexer;
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _multiplexer, null) is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            multiplexer.Dispose();
        }
    }
}
