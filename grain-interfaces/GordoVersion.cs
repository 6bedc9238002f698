using System.Reflection;

namespace Gordo.GrainInterfaces;

/// <summary>The Gordo server version (gordo's <c>gordo-server-version</c> and <c>/server-version</c>).</summary>
public static class GordoVersion
{
    public static string Current { get; } =
        typeof(GordoVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(GordoVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
