

namespace Gordo.Silo;

public static class GordoLogging
{
    /// <summary>
    /// Console logs: JSON lines (<see cref="GordoJsonConsoleFormatter"/>) by default, or one plain line per
    /// entry with <c>GORDO_LOG_FORMAT=text</c> (Gordo:Logging:Format). ASP.NET's own per-request
    /// information is left out; Gordo writes its own access log.
    /// </summary>
    public static IHostApplicationBuilder AddGordoLogging(this IHostApplicationBuilder builder)
    {
        var format = builder.Configuration["Gordo:Logging:Format"] ?? Environment.GetEnvironmentVariable("GORDO_LOG_FORMAT") ?? "json";
        var silo = builder.Configuration["Gordo:Silo:Name"] ?? Environment.MachineName;
        builder.Logging.ClearProviders();
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Gordo's access log and request-id scope replace ASP.NET's request logs and their scopes
        // (whose own "RequestId" would contradict Gordo's), and trace/span ids are not used here.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions = ActivityTrackingOptions.None);
        if (string.Equals(format, "text", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddConsole(o => o.FormatterName = GordoJsonConsoleFormatter.FormatterName);
            builder.Logging.AddConsoleFormatter<GordoJsonConsoleFormatter, GordoConsoleFormatterOptions>(o =>
            {
                o.Silo = silo;
                o.IncludeScopes = true;
            });
        }

        return builder;
    }
}
