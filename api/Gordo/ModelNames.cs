using Gordo.GrainInterfaces;
using Gordo.Grains.Store;

namespace Gordo.Api.Gordo;

/// <summary>Route-value checks shared by the model routes.</summary>
internal static class ModelNames
{
    /// <summary>gordo's name check (422), on the whole name: nothing else can reach the file system.</summary>
    public static string RequireValidName(HttpContext context)
    {
        var name = context.GetRouteValue("gordo_name") as string ?? string.Empty;
        return ModelStore.IsValidTargetName(name)
            ? name
            : throw new GordoException(StatusCodes.Status422UnprocessableEntity,
                $"Invalid model name '{Shorten(name)}': a model name matches ^[A-Za-z0-9-]+$.");
    }

    /// <summary>404 unless the revision has the model (its metadata.json).</summary>
    public static void RequireModel(ModelStore store, string revision, string name)
    {
        if (!store.ModelExists(revision, name))
        {
            throw new ModelNotFoundException($"No model found for '{name}' in revision '{revision}'.");
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
