using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gordo.Silo.Cluster;

/// <summary>
/// Holds a clustered silo's start until Redis answers. Orleans fails a silo's start when its membership
/// table cannot be reached, so a silo started while Redis is down would exit; this waits instead (logging
/// once), and the silo joins the cluster as soon as Redis is back. Registered before Orleans' own hosted
/// service, so it runs first.
/// </summary>
public sealed partial class RedisStartupGate(IOptions<GordoClusterOptions> options, ILogger<RedisStartupGate> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.IsClustered)
        {
            return;
        }

        var configuration = ConfigurationOptions.Parse(options.Value.Redis!);
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = 2000;
        configuration.SyncTimeout = 2000;
        configuration.ClientName = "gordo-startup-gate";
        using var redis = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        var waiting = false;
        while (true)
        {
            try
            {
                await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
                if (waiting)
                {
                    LogReady(logger);
                }

                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                if (!waiting)
                {
                    waiting = true;
                    LogWaiting(logger, ex.Message);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Redis does not answer ({Reason}); the silo joins the cluster when it does")]
    private static partial void LogWaiting(ILogger logger, string reason);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Information, Message = "Redis answers; the silo joins the cluster")]
    private static partial void LogReady(ILogger logger);
}
