using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gordo.Tests.Infrastructure;

/// <summary>
/// Calls Gordo's gRPC port with an independent client: <c>tests/interop/grpc-client.mjs</c>
/// (@grpc/grpc-js, the service loaded at run time from Gordo's .proto by @grpc/proto-loader).
/// One node process runs a list of calls; each result is <c>{"ok": response}</c> or
/// <c>{"error": {"code", "details"}}</c>, bytes as base64 and int64 as strings.
/// </summary>
public static class GrpcInterop
{
    public static async Task<JsonElement[]> CallAsync(string address, params JsonObject[] calls)
    {
        var tools = ParquetInterop.ToolDirectory;
        Assert.True(Directory.Exists(Path.Combine(tools, "node_modules", "@grpc", "grpc-js")), $"The gRPC client is not installed: run 'npm install' in {tools} (test.sh does).");
        var proto = Path.GetFullPath(Path.Combine(tools, "..", "..", "api", "V2", "Grpc", "open_inference_grpc.proto"));
        var output = await InteropNode.RunAsync("grpc-client.mjs", [proto, address], new JsonArray([.. calls]).ToJsonString());
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    public static JsonObject Call(string method, JsonObject? request = null, string? requestId = null)
    {
        var call = new JsonObject { ["method"] = method, ["request"] = request ?? new JsonObject() };
        if (requestId is not null)
        {
            call["metadata"] = new JsonObject { ["x-request-id"] = requestId };
        }

        return call;
    }
}
