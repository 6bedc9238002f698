namespace Gordo.Api.Admin;

/// <summary>The operations surface under <c>/admin</c>, every route behind <see cref="AdminKeyFilter"/>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminKeyFilter>();
        admin.MapGet("/cluster", ClusterEndpoints.ClusterAsync);
        admin.MapGet("/grains", ClusterEndpoints.GrainsAsync);
        return app;
    }
}
