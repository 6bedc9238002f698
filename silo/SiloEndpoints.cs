using System.Net;
using Gordo.Silo.Cluster;
using Gordo.Silo.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gordo.Silo;

/// <summary>
/// Kestrel's endpoints for a Gordo process: the public HTTP URL(s) (<c>--urls</c> / <c>ASPNETCORE_URLS</c>,
/// else the default) and, for a silo in a cluster, the silo-to-silo port (HTTP/2 only,
/// cleartext). Endpoints set in code make Kestrel ignore configured URLs, so both are bound here.
/// </summary>
public static class SiloEndpoints
{
    /// <param name="urls">The public URLs taken from the command line or environment (<see cref="PublicUrls"/>), if any.</param>
    public static WebApplicationBuilder ConfigureGordoEndpoints(this WebApplicationBuilder builder, string? urls, string defaultUrl)
    {
        var publicUrls = (string.IsNullOrWhiteSpace(urls) ? defaultUrl : urls)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in publicUrls)
            {
                // HTTP/2 without TLS cannot be negotiated on a shared port: the public API speaks HTTP/1.1.
                Listen(kestrel, url, HttpProtocols.Http1);
            }
        });

        // The cluster views show each silo's public URL: publish the bound one unless it was configured.
        builder.Services.AddHostedService<HttpEndpointPublisher>();
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols)
    {
        var address = BindingAddress.Parse(url);
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Gordo listens on http:// URLs (put TLS in front of it): '{url}'.");
        }

        void Configure(ListenOptions options)
        {
            options.Protocols = protocols;
            options.UseJsonErrorBodies();
        }

        if (address.Host is "localhost")
        {
            kestrel.ListenLocalhost(address.Port, Configure);
        }
        else if (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
        {
            kestrel.Listen(ip, address.Port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, Configure);
        }
    }

    /// <summary>Fills <see cref="GordoSiloOptions.HttpEndpoint"/> from the bound public address before the silo joins.</summary>
    private sealed class HttpEndpointPublisher(IServer server, IOptions<GordoSiloOptions> options) : IHostedLifecycleService
    {
        public Task StartedAsync(CancellationToken cancellationToken)
        {
            var silo = options.Value;
            if (silo.HttpEndpoint is null && server.Features.Get<IServerAddressesFeature>() is { } addresses)
            {
                silo.HttpEndpoint = addresses.Addresses.FirstOrDefault();
            }

            return Task.CompletedTask;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
