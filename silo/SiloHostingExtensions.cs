using Gordo.Grains.Hosting;
using Gordo.Runtime;
using Microsoft.Extensions.Hosting;

namespace Gordo.Silo;

public static class SiloHostingExtensions
{
    /// <summary>Makes this process a silo hosting model grains: the actor runtime plus the grains it activates.</summary>
    public static IHostApplicationBuilder AddGordoSilo(this IHostApplicationBuilder builder)
    {
        builder.AddGordoRuntime(hostsGrains: true);
        builder.AddModelGrains();
        return builder;
    }
}
