namespace Gordo.Api.Admin;

/// <summary>The operations surface under <c>/admin</c>, every route behind <see cref="AdminKeyFilter"/>.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter<AdminKeyFilter>();
        Route(admin.MapGet("/cluster", ClusterEndpoints.ClusterAsync), "/admin/cluster");
        Route(admin.MapGet("/grains", ClusterEndpoints.GrainsAsync), "/admin/grains");
        Route(admin.MapGet("/logging/level", LoggingEndpoints.GetAsync), "/admin/logging/level");
        Route(admin.MapPut("/logging/level", LoggingEndpoints.PutAsync), "/admin/logging/level");
        Route(admin.MapGet("/diagnostics", OperationsEndpoints.DiagnosticsAsync), "/admin/diagnostics");
        Route(admin.MapGet("/diagnostics/stacks", OperationsEndpoints.StacksAsync), "/admin/diagnostics/stacks");
        Route(admin.MapGet("/versions", OperationsEndpoints.VersionsAsync), "/admin/versions");
        Route(admin.MapPost("/models/evict", OperationsEndpoints.EvictAsync), "/admin/models/evict");
        Route(admin.MapPost("/models/reload", OperationsEndpoints.ReloadAsync), "/admin/models/reload");
        return app;
    }

    private static void Route(IEndpointConventionBuilder endpoint, string template) => endpoint.WithMetadata(new Metrics.MetricsRoute(template));
}
