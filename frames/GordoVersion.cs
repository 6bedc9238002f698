using System.Reflection;

namespace Gordo.Frames;

/// <summary>The Gordo server version (gordo's <c>gordo-server-version</c> and <c>/server-version</c>).</summary>
public static class GordoVersion
{
    public static string Current { get; } =
        typeof(GordoVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(GordoVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    /// <summary>The git commit the build came from ("unknown" outside a git checkout).</summary>
    public static string Commit { get; } =
        typeof(GordoVersion).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "GordoCommit")?.Value is { Length: > 0 } commit
            ? commit
            : "unknown";
}
