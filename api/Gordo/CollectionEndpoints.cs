using System.Text.Json;
using Gordo.Api.Hosting;
using Gordo.Api.Http;
using Gordo.Grains.Store;

namespace Gordo.Api.Gordo;

/// <summary><c>GET .../models</c>, <c>.../revisions</c> and <c>.../expected-models</c>.</summary>
internal static class CollectionEndpoints
{
    /// <summary>Every entry of the revision directory; <c>[]</c> when it is missing (gordo #942).</summary>
    public static Task ModelsAsync(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<ModelStore>();
        var models = store.ListModels(GordoResponses.RevisionOf(context));
        return GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer => WriteList(writer, "models", models));
    }

    /// <summary>The current revision as <c>latest</c> and every sibling of it.</summary>
    public static Task RevisionsAsync(HttpContext context)
    {
        var store = context.RequestServices.GetRequiredService<ModelStore>();
        var revisions = store.ListRevisions();
        return GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer =>
        {
            WriteList(writer, "available-revisions", revisions);
            writer.WriteString("latest", store.CurrentRevision);
        });
    }

    public static Task ExpectedModelsAsync(HttpContext context)
    {
        var expected = context.RequestServices.GetRequiredService<ExpectedModelsDocument>();
        return GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WritePropertyName("expected-models");
            writer.WriteRawValue(expected.Json, skipInputValidation: true);
        });
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IReadOnlyList<string> items)
    {
        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}
