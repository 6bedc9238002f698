using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gordo.Silo.Cluster;

/// <summary>
/// What a silo does when Orleans meets a fatal error (typically: the cluster declared it dead). As Orleans'
/// own handler, it ends the process at once, so that a silo the cluster gave up on never serves again;
/// with <see cref="GordoSiloOptions.ExitOnFatalError"/> off (silos hosted inside a test process) it stops
/// this host instead, leaving the process running.
/// </summary>
public sealed partial class GordoFatalErrorHandler(IOptions<GordoSiloOptions> options, IHostApplicationLifetime lifetime, ILogger<GordoFatalErrorHandler> logger)
    : IFatalErrorHandler
{
    public bool IsUnexpected(Exception exception) => exception is not ThreadAbortException;

    public void OnFatalException(object? sender, string? context, Exception? exception)
    {
        LogFatal(logger, exception, sender?.ToString() ?? "Orleans", context ?? string.Empty);
        if (options.Value.ExitOnFatalError)
        {
            Thread.Sleep(500); // let the log line out
            Environment.FailFast($"Orleans fatal error from {sender}: {context}", exception);
        }

        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 1904, Level = LogLevel.Critical, Message = "Fatal error from {Sender}: {Context}; the silo stops")]
    private static partial void LogFatal(ILogger logger, Exception? exception, string sender, string context);
}
