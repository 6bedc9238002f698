namespace Gordo.Api.Gordo;

/// <summary>The gordo HTTP API (gordo-api.md §1.2), route by route.</summary>
public static class GordoApi
{
    public static IEndpointRouteBuilder MapGordoApi(this IEndpointRouteBuilder app)
    {
        Map(app.MapGet("/healthcheck", ServerEndpoints.HealthcheckAsync), "/healthcheck");
        Map(app.MapGet("/server-version", ServerEndpoints.ServerVersionAsync), "/server-version");

        var project = app.MapGroup("/gordo/v0/{gordo_project}");
        const string prefix = "/gordo/v0/<gordo_project>";
        Map(project.MapPost("/{gordo_name}/prediction", PredictionEndpoints.PredictionAsync), $"{prefix}/<gordo_name>/prediction");
        Map(project.MapPost("/{gordo_name}/anomaly/prediction", PredictionEndpoints.AnomalyAsync), $"{prefix}/<gordo_name>/anomaly/prediction");
        Map(project.MapGet("/{gordo_name}/metadata", MetadataEndpoints.MetadataAsync), $"{prefix}/<gordo_name>/metadata");
        Map(project.MapGet("/{gordo_name}/healthcheck", MetadataEndpoints.MetadataAsync), $"{prefix}/<gordo_name>/healthcheck");
        Map(project.MapGet("/{gordo_name}/download-model", ModelFileEndpoints.DownloadAsync), $"{prefix}/<gordo_name>/download-model");
        Map(project.MapDelete("/{gordo_name}/revision/{revision}", ModelFileEndpoints.DeleteRevisionAsync), $"{prefix}/<gordo_name>/revision/<revision>");
        Map(project.MapGet("/models", CollectionEndpoints.ModelsAsync), $"{prefix}/models");
        Map(project.MapGet("/revisions", CollectionEndpoints.RevisionsAsync), $"{prefix}/revisions");
        Map(project.MapGet("/expected-models", CollectionEndpoints.ExpectedModelsAsync), $"{prefix}/expected-models");
        return app;
    }

    private static void Map(IEndpointConventionBuilder endpoint, string gordoTemplate) => endpoint.WithMetadata(new GordoRoute(gordoTemplate));
}
