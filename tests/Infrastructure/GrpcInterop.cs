using System.Diagnostics;
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
        var file = Path.Combine(Path.GetTempPath(), $"gordo-grpc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray([.. calls]).ToJsonString(), TestContext.Current.CancellationToken);
        try
        {
            var start = new ProcessStartInfo("node", [Path.Combine(tools, "grpc-client.mjs"), proto, address, file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = tools,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"grpc-client failed ({process.ExitCode}): {await error}");
            using var document = JsonDocument.Parse(await output);
            return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
        }
        finally
        {
            File.Delete(file);
        }
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
