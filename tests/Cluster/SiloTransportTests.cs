using System.Net;
using Gordo.Runtime;
using Gordo.Silo;
using Gordo.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gordo.Tests.Cluster;

/// <summary>The silo-to-silo transport at its edges: large frames, and an address where no Gordo silo answers any more.</summary>
public sealed class SiloTransportTests(TestCollection collection)
{
    [Fact]
    public async Task The_silo_port_takes_frames_larger_than_the_public_request_limit()
    {
        // The public limit is 1 MiB here (Kestrel's own then 17 MiB); a forwarded frame may be larger than either.
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var silo = await cluster.StartSiloAsync("silo-a", new Dictionary<string, string?> { ["Gordo:Api:MaxRequestBytes"] = "1048576" });
        var address = silo.Get<IClusterMembership>().LocalSilo!;
        using var client = new SiloTransportClient(NullLogger<SiloTransportClient>.Instance);
        using var answer = await client.ControlAsync(address, SiloDiagnostics.Ping, new byte[40 * 1024 * 1024], TimeSpan.FromSeconds(30), null, TestContext.Current.CancellationToken);
        Assert.Equal("pong"u8.ToArray(), answer.WrittenMemory.ToArray());
    }

    [Fact]
    public async Task An_answer_from_something_that_is_not_a_gordo_silo_counts_as_an_unavailable_silo()
    {
        // Another HTTP/2 server now listens where a silo used to (a reused port or pod address).
        var port = FreePorts.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2));
        await using var stranger = builder.Build();
        stranger.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("nothing here", context.RequestAborted);
        });
        await stranger.StartAsync(TestContext.Current.CancellationToken);

        using var client = new SiloTransportClient(NullLogger<SiloTransportClient>.Instance);
        var gone = new SiloAddress("127.0.0.1", port, 1);
        var error = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.ControlAsync(gone, SiloDiagnostics.Ping, ReadOnlyMemory<byte>.Empty,
            TimeSpan.FromSeconds(5), null, TestContext.Current.CancellationToken));
        Assert.Contains("did not come from a Gordo silo", error.Message, StringComparison.Ordinal);
    }
}
