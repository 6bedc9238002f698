using Gordo.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Gordo.Silo;

/// <summary>
/// A standalone silo process. With the default in-process membership it is a cluster of one that
/// nothing outside can call; the HTTP front end (api/) co-hosts a silo for single-process use.
/// </summary>
public static class SiloProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddGordoEnvironment();
        builder.AddGordoSilo();
        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Ok(new { status = "ok" }));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
