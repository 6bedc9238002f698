using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.V2;

/// <summary>
/// <c>inference.GRPCInferenceService</c> over real HTTP/2 with an independent client (@grpc/grpc-js and
/// @grpc/proto-loader from npm, loading Gordo's .proto): every method, raw and typed tensor contents
/// against the gordo routes' numbers, INVALID_ARGUMENT (never INTERNAL) for malformed tensors, and a
/// gRPC port that answers nothing else.
/// </summary>
public sealed class V2GrpcTests(V2ServerFixture fixture) : IClassFixture<V2ServerFixture>
{
    private const int InvalidArgument = 3;
    private const int NotFound = 5;
    private const int Rows = 16;

    private GordoServerHost Server => fixture.Server;

    [Fact]
    public async Task Server_and_model_methods_answer_like_the_rest_routes()
    {
        var results = await GrpcInterop.CallAsync(fixture.GrpcAddress,
            GrpcInterop.Call("ServerLive"),
            GrpcInterop.Call("ServerReady"),
            GrpcInterop.Call("ServerMetadata"),
            GrpcInterop.Call("ModelReady", new JsonObject { ["name"] = "pump-1" }),
            GrpcInterop.Call("ModelReady", new JsonObject { ["name"] = "no-such-model" }),
            GrpcInterop.Call("ModelMetadata", new JsonObject { ["name"] = "pump-1" }),
            GrpcInterop.Call("ModelMetadata", new JsonObject { ["name"] = "old-only", ["version"] = TestCollection.OldRevision }),
            GrpcInterop.Call("ModelMetadata", new JsonObject { ["name"] = "pump-1", ["version"] = "99" }));
        Assert.True(Ok(results[0]).GetProperty("live").GetBoolean());
        Assert.True(Ok(results[1]).GetProperty("ready").GetBoolean());
        var server = Ok(results[2]);
        Assert.Equal("gordo", server.GetProperty("name").GetString());
        Assert.Equal(["binary_tensor_data", "model_repository"], server.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True(Ok(results[3]).GetProperty("ready").GetBoolean());
        Assert.Equal(NotFound, Error(results[4]).Code);

        var rest = await (await Server.GetAsync("/v2/models/pump-1")).JsonAsync(HttpStatusCode.OK);
        var grpc = Ok(results[5]);
        Assert.Equal(rest.GetProperty("name").GetString(), grpc.GetProperty("name").GetString());
        Assert.Equal(rest.GetProperty("platform").GetString(), grpc.GetProperty("platform").GetString());
        Assert.Equal(Tensors(rest.GetProperty("inputs")), Tensors(grpc.GetProperty("inputs")));
        Assert.Equal(Tensors(rest.GetProperty("outputs")), Tensors(grpc.GetProperty("outputs")));
        Assert.Equal(rest.GetProperty("properties").GetProperty("targets").GetString(), grpc.GetProperty("properties").GetProperty("targets").GetString());
        Assert.Equal("old-only", Ok(results[6]).GetProperty("name").GetString());
        Assert.Equal(NotFound, Error(results[7]).Code);
    }

    [Fact]
    public async Task Raw_and_typed_contents_give_the_gordo_routes_numbers()
    {
        var build = fixture.Collection.Current("pump-1");
        var rows = new V2Rows(build, 300, Rows);
        var gordo = await rows.GordoAnomalyAsync(Server, "pump-1");
        var metadata = await (await Server.GetAsync("/v2/models/pump-1")).JsonAsync(HttpStatusCode.OK);
        var inputName = metadata.GetProperty("inputs")[0].GetProperty("name").GetString()!;
        var graphOutput = metadata.GetProperty("outputs")[0].GetProperty("name").GetString()!;
        JsonArray Inputs() => new(Input(inputName, "FP32", Rows, build.Tags.Length), Input("y", "FP64", Rows, build.Targets.Length));
        JsonArray Outputs() => new(new JsonObject { ["name"] = graphOutput }, new JsonObject { ["name"] = "tag-anomaly-scaled" }, new JsonObject { ["name"] = "total-anomaly-confidence" });

        var raw = new JsonObject
        {
            ["model_name"] = "pump-1",
            ["id"] = "grpc-1",
            ["inputs"] = Inputs(),
            ["outputs"] = Outputs(),
            ["raw_input_contents"] = new JsonArray(Convert.ToBase64String(V2RestTests.Floats(rows.X)), Convert.ToBase64String(V2RestTests.Doubles(rows.Y))),
        };
        var typed = new JsonObject { ["model_name"] = "pump-1", ["inputs"] = Inputs(), ["outputs"] = Outputs() };
        typed["inputs"]![0]!["contents"] = new JsonObject { ["fp32_contents"] = new JsonArray([.. rows.X.Select(v => (JsonNode)JsonValue.Create((float)v))]) };
        typed["inputs"]![1]!["contents"] = new JsonObject { ["fp64_contents"] = new JsonArray([.. rows.Y.Select(v => (JsonNode)JsonValue.Create(v))]) };
        var results = await GrpcInterop.CallAsync(fixture.GrpcAddress, GrpcInterop.Call("ModelInfer", raw), GrpcInterop.Call("ModelInfer", typed));

        var rawAnswer = Ok(results[0]);
        Assert.Equal("pump-1", rawAnswer.GetProperty("model_name").GetString());
        Assert.Equal(TestCollection.CurrentRevision, rawAnswer.GetProperty("model_version").GetString());
        Assert.Equal("grpc-1", rawAnswer.GetProperty("id").GetString());
        var outputs = rawAnswer.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal([graphOutput, "tag-anomaly-scaled", "total-anomaly-confidence"], outputs.Select(o => o.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(["FP32", "FP64", "FP64"], outputs.Select(o => o.GetProperty("datatype").GetString()!).ToArray());
        Assert.Equal([Rows.ToString(), build.Targets.Length.ToString()], outputs[0].GetProperty("shape").EnumerateArray().Select(d => d.GetString()!).ToArray());
        var contents = rawAnswer.GetProperty("raw_output_contents").EnumerateArray().Select(c => Convert.FromBase64String(c.GetString()!)).ToArray();
        V2RestTests.Near(gordo["model-output"], [.. Enumerable.Range(0, contents[0].Length / 4).Select(i => (double)BinaryPrimitives.ReadSingleLittleEndian(contents[0].AsSpan(i * 4)))]);
        V2RestTests.Near(gordo["tag-anomaly-scaled"], Doubles(contents[1]));
        V2RestTests.Near(gordo["total-anomaly-confidence"], Doubles(contents[2]));

        // Typed contents in, typed contents out: the same numbers.
        var typedOutputs = Ok(results[1]).GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Empty(Ok(results[1]).GetProperty("raw_output_contents").EnumerateArray());
        V2RestTests.Near(gordo["model-output"], [.. typedOutputs[0].GetProperty("contents").GetProperty("fp32_contents").EnumerateArray().Select(v => v.GetDouble())]);
        Assert.Equal(Doubles(contents[1]), typedOutputs[1].GetProperty("contents").GetProperty("fp64_contents").EnumerateArray().Select(v => v.GetDouble()).ToArray());
    }

    [Fact]
    public async Task Malformed_tensors_are_invalid_argument_with_a_message()
    {
        var build = fixture.Collection.Current("pump-1");
        var inputName = (await (await Server.GetAsync("/v2/models/pump-1")).JsonAsync(HttpStatusCode.OK)).GetProperty("inputs")[0].GetProperty("name").GetString()!;
        var x = V2RestTests.Floats(new double[2 * build.Tags.Length]);
        JsonObject Request(JsonObject input, string rawBase64, string? output = null)
        {
            var request = new JsonObject { ["model_name"] = "pump-1", ["inputs"] = new JsonArray(input), ["raw_input_contents"] = new JsonArray(rawBase64) };
            if (output is not null)
            {
                request["outputs"] = new JsonArray(new JsonObject { ["name"] = output });
            }

            return request;
        }

        var good = Convert.ToBase64String(x);
        var cases = new (string Expected, JsonObject Request)[]
        {
            ("shape", Request(Input(inputName, "FP32", 2, build.Tags.Length - 1), good)),
            ("datatype", Request(Input(inputName, "FP64", 2, build.Tags.Length), Convert.ToBase64String(new byte[2 * build.Tags.Length * 8]))),
            ("datatype", Request(Input(inputName, "INT32", 2, build.Tags.Length), good)),
            ("bytes", Request(Input(inputName, "FP32", 2, build.Tags.Length), Convert.ToBase64String(x[..^4]))),
            ("bytes", Request(Input(inputName, "FP32", 10_000_000, build.Tags.Length), good)),
            ("Unknown output", Request(Input(inputName, "FP32", 2, build.Tags.Length), good, "nope")),
            ("'y' input, which is missing", Request(Input(inputName, "FP32", 2, build.Tags.Length), good, "tag-anomaly-scaled")),
            ("Unknown input", Request(Input("Z", "FP32", 2, build.Tags.Length), good)),
            ("raw_input_contents", new JsonObject
            {
                ["model_name"] = "pump-1",
                ["inputs"] = new JsonArray(Input(inputName, "FP32", 2, build.Tags.Length)),
                ["raw_input_contents"] = new JsonArray(good, good),
            }),
            ("fp32_contents", new JsonObject
            {
                ["model_name"] = "pump-1",
                ["inputs"] = new JsonArray(new JsonObject
                {
                    ["name"] = inputName, ["datatype"] = "FP32", ["shape"] = new JsonArray(2, build.Tags.Length),
                    ["contents"] = new JsonObject { ["fp32_contents"] = new JsonArray(1.0f, 2.0f) },
                }),
            }),
        };
        var results = await GrpcInterop.CallAsync(fixture.GrpcAddress, [.. cases.Select(c => GrpcInterop.Call("ModelInfer", c.Request))]);
        for (var i = 0; i < cases.Length; i++)
        {
            var (code, details) = Error(results[i]);
            Assert.True(code == InvalidArgument, $"case {i} ({cases[i].Expected}): code {code}, {details}");
            Assert.Contains(cases[i].Expected, details, StringComparison.OrdinalIgnoreCase);
        }

        var unknown = await GrpcInterop.CallAsync(fixture.GrpcAddress, GrpcInterop.Call("ModelInfer", new JsonObject { ["model_name"] = "no-such-model", ["inputs"] = new JsonArray(Input(inputName, "FP32", 2, 6)), ["raw_input_contents"] = new JsonArray(good) }));
        Assert.Equal(NotFound, Error(unknown[0]).Code);
    }

    [Fact]
    public async Task The_grpc_port_answers_grpc_only_and_calls_are_counted()
    {
        // The gordo and admin routes are not on the gRPC port (HTTP/2 with prior knowledge, as a gRPC client speaks).
        using var http2 = new HttpClient { BaseAddress = new Uri($"http://{fixture.GrpcAddress}"), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var response = await http2.GetAsync("/gordo/v0/p/pump-1/metadata", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.GetAsync("/v2/models/pump-1", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http2.GetAsync("/metrics", TestContext.Current.CancellationToken)).StatusCode);

        // A message that is not protobuf at all: INVALID_ARGUMENT with the parser's reason, not UNKNOWN.
        using var garbage = new ByteArrayContent([0, 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        garbage.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        using var broken = await http2.PostAsync("/inference.GRPCInferenceService/ModelInfer", garbage, TestContext.Current.CancellationToken);
        await broken.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        // An error without a message is "trailers-only": the status comes in the headers.
        string Status(string name) => broken.TrailingHeaders.TryGetValues(name, out var values) || broken.Headers.TryGetValues(name, out values) ? values.Single() : string.Empty;
        Assert.Equal(InvalidArgument.ToString(System.Globalization.CultureInfo.InvariantCulture), Status("grpc-status"));
        Assert.Contains("not a ModelInferRequest", Uri.UnescapeDataString(Status("grpc-message")), StringComparison.Ordinal);

        var build = fixture.Collection.Current("windowed-smm");
        var inputName = (await (await Server.GetAsync("/v2/models/windowed-smm")).JsonAsync(HttpStatusCode.OK)).GetProperty("inputs")[0].GetProperty("name").GetString()!;
        var request = new JsonObject
        {
            ["model_name"] = "windowed-smm",
            ["inputs"] = new JsonArray(Input(inputName, "FP32", 4, build.Tags.Length)),
            ["raw_input_contents"] = new JsonArray(Convert.ToBase64String(V2RestTests.Floats(new V2Rows(build, 0, 4).X))),
        };
        var results = await GrpcInterop.CallAsync(fixture.GrpcAddress, GrpcInterop.Call("ModelInfer", request, requestId: "grpc-request-9"),
            GrpcInterop.Call("ModelInfer", new JsonObject { ["model_name"] = "windowed-smm", ["inputs"] = new JsonArray(Input("Z", "FP32", 1, 1)), ["raw_input_contents"] = new JsonArray("AAAAAA==") }));
        Ok(results[0]);
        Error(results[1]);
        var metrics = (await (await Server.GetAsync("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split('\n');
        bool Counted(string status) => metrics.Any(line => line.StartsWith("gordo_server_requests_total{", StringComparison.Ordinal)
            && line.Contains("model=\"windowed-smm\"", StringComparison.Ordinal) && line.Contains("path=\"/inference.GRPCInferenceService/ModelInfer\"", StringComparison.Ordinal)
            && line.Contains($"status_code=\"{status}\"", StringComparison.Ordinal));
        Assert.True(Counted("200"), "no 200 series for the gRPC call");
        Assert.True(Counted("400"), "no 400 series for the invalid gRPC call");
        Assert.Contains(Server.Logs.Entries, e => e.RequestId == "grpc-request-9" && e.Category == "Gordo.Access");
    }

    private static JsonObject Input(string name, string datatype, int rows, int columns) =>
        new() { ["name"] = name, ["datatype"] = datatype, ["shape"] = new JsonArray(rows, columns) };

    private static JsonElement Ok(JsonElement result) =>
        result.TryGetProperty("ok", out var ok) ? ok : throw new Xunit.Sdk.XunitException($"gRPC call failed: {result}");

    private static (int Code, string Details) Error(JsonElement result) =>
        result.TryGetProperty("error", out var error)
            ? (error.GetProperty("code").GetInt32(), error.GetProperty("details").GetString()!)
            : throw new Xunit.Sdk.XunitException($"gRPC call succeeded: {result}");

    private static string[] Tensors(JsonElement tensors) =>
        [.. tensors.EnumerateArray().Select(t => $"{t.GetProperty("name").GetString()} {t.GetProperty("datatype").GetString()} [{string.Join(",", t.GetProperty("shape").EnumerateArray().Select(d => d.ValueKind == JsonValueKind.String ? d.GetString() : d.GetRawText()))}]")];

    private static double[] Doubles(byte[] bytes) => [.. Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8)))];
}
