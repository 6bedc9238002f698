using System.Net;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gordo.Api.V2.Grpc;

/// <summary>
/// The gRPC port (<see cref="ApiOptions.GrpcPort"/>): HTTP/2 cleartext on the API's host, serving
/// <c>inference.GRPCInferenceService</c> and nothing else; the gordo and admin routes stay on the HTTP
/// port, and the gRPC service is not reachable there.
/// </summary>
public static class GrpcEndpoints
{
    public static WebApplicationBuilder ConfigureGrpcEndpoint(this WebApplicationBuilder builder, ApiOptions api)
    {
        if (api.GrpcPort is not { } port)
        {
            return builder;
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Configure(ListenOptions options) => options.Protocols = HttpProtocols.Http2;
            if (api.Host is "localhost")
            {
                kestrel.ListenLocalhost(port, Configure);
            }
            else if (IPAddress.TryParse(api.Host, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
            {
                kestrel.Listen(ip, port, Configure);
            }
            else
            {
                kestrel.ListenAnyIP(port, Configure);
            }
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapV2Grpc(this IEndpointRouteBuilder app, ApiOptions api)
    {
        if (api.GrpcPort is { } port)
        {
            app.MapGrpcService<InferenceGrpcService>().RequireHost($"*:{port}");
        }

        return app;
    }

    /// <summary>On the gRPC port, anything but a gRPC method is 404: no other route answers there.</summary>
    public static IApplicationBuilder UseGrpcPortIsolation(this IApplicationBuilder app, ApiOptions api)
    {
        if (api.GrpcPort is not { } port)
        {
            return app;
        }

        return app.Use(async (context, next) =>
        {
            if (context.Connection.LocalPort == port && context.GetEndpoint()?.Metadata.GetMetadata<global::Grpc.AspNetCore.Server.GrpcMethodMetadata>() is null)
            {
                await GordoResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Not found: {context.Request.Path} (this port serves gRPC)").ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
    }
}
