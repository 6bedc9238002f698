using System.Collections.Concurrent;
using Gordo.Silo;
using Microsoft.Extensions.Logging;

namespace Gordo.Tests.Infrastructure;

/// <summary>A log entry a test host wrote, with the request id of its scope.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, string? RequestId, string? Exception = null);

/// <summary>Records every log entry of a host, reading the request id from the scopes as Gordo's formatters do.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string? requestId = null;
            capture._scopes.ForEachScope((scope, _) =>
            {
                if (scope is RequestIdScope request)
                {
                    requestId = request.RequestId;
                }
            }, (object?)null);
            capture.Entries.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), requestId, exception?.ToString()));
        }
    }
}
