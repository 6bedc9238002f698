using Gordo.Api.Gordo;

namespace Gordo.Api.V2;

/// <summary>The Open Inference Protocol (V2) over REST, on the gordo API's port, and Triton's repository extension.</summary>
public static class V2Api
{
    public static IEndpointRouteBuilder MapV2Api(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").AddEndpointFilter<V2ErrorFilter>();
        Map(v2.MapGet("", V2Endpoints.ServerMetadataAsync), "/v2");
        Map(v2.MapGet("/health/live", V2Endpoints.LiveAsync), "/v2/health/live");
        Map(v2.MapGet("/health/ready", V2Endpoints.ReadyAsync), "/v2/health/ready");
        foreach (var (route, template) in new[] { ("/models/{model}", "/v2/models/<model_name>"), ("/models/{model}/versions/{version}", "/v2/models/<model_name>/versions/<model_version>") })
        {
            Map(v2.MapGet(route, (HttpContext context, string model, string? version, V2Models models) =>
                V2Endpoints.ModelMetadataAsync(context, model, version, models)), template);
            Map(v2.MapGet(route + "/ready", (HttpContext context, string model, string? version, V2Models models) =>
                V2Endpoints.ModelReadyAsync(context, model, version, models)), template + "/ready");
            Map(v2.MapPost(route + "/infer", V2Endpoints.InferAsync), template + "/infer");
        }

        var repository = v2.MapGroup("/repository").AddEndpointFilter<RepositoryKeyFilter>();
        Map(repository.MapPost("/index", RepositoryEndpoints.IndexAsync), "/v2/repository/index");
        Map(repository.MapPost("/models/{model}/load", RepositoryEndpoints.LoadAsync), "/v2/repository/models/<model_name>/load");
        Map(repository.MapPost("/models/{model}/unload", RepositoryEndpoints.UnloadAsync), "/v2/repository/models/<model_name>/unload");
        return app;
    }

    private static void Map(IEndpointConventionBuilder endpoint, string template) => endpoint.WithMetadata(new GordoRoute(template));
}
