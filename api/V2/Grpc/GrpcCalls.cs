using Grpc.Core;

namespace Gordo.Api.V2.Grpc;

/// <summary>
/// Runs a gRPC method and turns Gordo's errors into statuses with their message (never INTERNAL for
/// a request's own mistakes), and names the model and the HTTP-equivalent status for the request
/// metrics, which see every gRPC call as HTTP 200.
/// </summary>
internal static class GrpcCalls
{
    /// <summary>HttpContext item: the model a gRPC call named (the <c>model</c> label).</summary>
    public const string ModelItem = "gordo-grpc-model";

    /// <summary>HttpContext item: the call's outcome as an HTTP status (the <c>status_code</c> label).</summary>
    public const string StatusItem = "gordo-grpc-status";

    public static async Task<T> RunAsync<T>(ServerCallContext context, string? model, Func<Task<T>> call)
    {
        var http = context.GetHttpContext();
        http.Items[ModelItem] = model;
        try
        {
            var result = await call().ConfigureAwait(false);
            http.Items[StatusItem] = StatusCodes.Status200OK;
            return result;
        }
        catch (GordoException ex)
        {
            var status = V2ErrorFilter.StatusOf(ex.StatusCode);
            http.Items[StatusItem] = status;
            throw new RpcException(new Status(CodeOf(status), ex.Message));
        }
        catch (FrameFormatException ex)
        {
            http.Items[StatusItem] = StatusCodes.Status400BadRequest;
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (Exception ex) when (Cluster.ModelCalls.IsOwnerGone(ex))
        {
            http.Items[StatusItem] = StatusCodes.Status503ServiceUnavailable;
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }

    private static StatusCode CodeOf(int status) => status switch
    {
        400 => StatusCode.InvalidArgument,
        404 => StatusCode.NotFound,
        413 => StatusCode.ResourceExhausted,
        429 or 503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
