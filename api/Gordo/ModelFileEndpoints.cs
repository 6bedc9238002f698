using Gordo.Api.Http;
using Gordo.GrainInterfaces;
using Gordo.Grains.Store;

namespace Gordo.Api.Gordo;

/// <summary><c>GET .../&lt;name&gt;/download-model</c> and <c>DELETE .../&lt;name&gt;/revision/&lt;revision&gt;</c>.</summary>
internal static partial class ModelFileEndpoints
{
    /// <summary>
    /// The model as gordo serves it: a pickle (<c>model.pickle</c>), because the gordo client unpickles
    /// every download. The pickled object is the model.onnx bytes (<see cref="ModelPickle"/>: nothing is
    /// imported while unpickling). <c>?format=onnx</c> answers the raw model.onnx bytes instead.
    /// </summary>
    public static async Task DownloadAsync(HttpContext context)
    {
        var name = ModelNames.RequireValidName(context);
        var revision = GordoResponses.RevisionOf(context);
        var store = context.RequestServices.GetRequiredService<ModelStore>();
        ModelNames.RequireModel(store, revision, name);
        var format = context.Request.Query["format"].ToString();
        if (format is not ("" or "onnx" or "pickle"))
        {
            throw new GordoException(StatusCodes.Status400BadRequest, $"Unknown download format '{Admin.AdminBody.Shorten(format)}': use onnx, or none for gordo's pickle.");
        }

        var files = store.GetModelFiles(revision, name);
        var model = new FileInfo(files.ModelPath);
        if (!model.Exists)
        {
            throw new ModelNotFoundException($"No model found for '{name}' in revision '{revision}': it has no model.onnx.");
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        if (format == "onnx")
        {
            response.Headers.ContentDisposition = "inline; filename=model.onnx";
            response.ContentLength = model.Length;
            await response.SendFileAsync(model.FullName, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // The file is streamed between the pickle's header and its STOP opcode, never buffered whole.
        var header = ModelPickle.Header(model.Length);
        response.Headers.ContentDisposition = "inline; filename=model.pickle";
        response.ContentLength = header.Length + model.Length + ModelPickle.Trailer.Length;
        await response.Body.WriteAsync(header, context.RequestAborted).ConfigureAwait(false);
        await response.SendFileAsync(model.FullName, 0, model.Length, context.RequestAborted).ConfigureAwait(false);
        await response.Body.WriteAsync(ModelPickle.Trailer, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>gordo's rules, in order: name (422), revision digits (422), not the current revision
    /// (409), the model exists there (404); then the model directory goes, and the revision directory
    /// too when that emptied it, and the model's grain is deactivated.</summary>
    public static async Task DeleteRevisionAsync(HttpContext context)
    {
        var name = ModelNames.RequireValidName(context);
        var target = context.GetRouteValue("revision") as string ?? string.Empty;
        var store = context.RequestServices.GetRequiredService<ModelStore>();
        if (!ModelStore.IsValidRevisionName(target))
        {
            throw new GordoException(StatusCodes.Status422UnprocessableEntity, "Revision should only contains numbers.");
        }

        if (target == store.CurrentRevision)
        {
            throw new GordoException(StatusCodes.Status409Conflict, "Unable to delete current revision.");
        }

        DeleteModelResult result;
        try
        {
            result = store.DeleteModel(target, name);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GordoException(StatusCodes.Status500InternalServerError, $"Could not delete model '{name}' of revision '{target}': {ex.Message}");
        }

        if (result == DeleteModelResult.NotFound)
        {
            throw new ModelNotFoundException($"No model found for '{name}' in revision '{target}'.");
        }

        LogDeleted(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gordo.Api.ModelFiles"), name, target);
        await context.RequestServices.GetRequiredService<IModelEvictor>().EvictAsync(target, name, context.RequestAborted).ConfigureAwait(false);
        await GordoResponses.WriteObjectAsync(context, StatusCodes.Status200OK, writer => writer.WriteBoolean("ok", true)).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Deleted model {Target} of revision {Revision}")]
    private static partial void LogDeleted(ILogger logger, string target, string revision);
}
