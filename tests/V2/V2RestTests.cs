using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.V2;

/// <summary>The Open Inference Protocol over REST (plain HTTP against Kestrel): metadata, health,
/// inference in JSON and with the binary tensor data extension, checked against the gordo routes'
/// numbers for the same rows, and the 400s for malformed tensors.</summary>
public sealed class V2RestTests(V2ServerFixture fixture) : IClassFixture<V2ServerFixture>
{
    private const int Rows = 24;

    private GordoServerHost Server => fixture.Server;

    private TestCollection Collection => fixture.Collection;

    [Fact]
    public async Task Server_metadata_and_health_answer_as_the_protocol_says()
    {
        var metadata = await (await Server.GetAsync("/v2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("gordo", metadata.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("version").GetString()));
        Assert.Equal(["binary_tensor_data", "model_repository"], metadata.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True((await (await Server.GetAsync("/v2/health/live")).JsonAsync(HttpStatusCode.OK)).GetProperty("live").GetBoolean());
        Assert.True((await (await Server.GetAsync("/v2/health/ready")).JsonAsync(HttpStatusCode.OK)).GetProperty("ready").GetBoolean());

        // Without an admin secret the repository extension is open.
        using var empty = new StringContent(string.Empty);
        var index = await (await Server.Client.PostAsync("/v2/repository/index", empty, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(index.EnumerateArray(), e => e.GetProperty("name").GetString() == "pump-1" && e.GetProperty("version").GetString() == TestCollection.OldRevision);
    }

    [Fact]
    public async Task Model_metadata_lists_the_graph_tensors_and_the_anomaly_columns()
    {
        var build = Collection.Current("pump-1");
        var metadata = await (await Server.GetAsync("/v2/models/pump-1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("pump-1", metadata.GetProperty("name").GetString());
        Assert.Equal([TestCollection.OldRevision, TestCollection.CurrentRevision], metadata.GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal("onnx_onnxv1", metadata.GetProperty("platform").GetString());
        var inputs = metadata.GetProperty("inputs").EnumerateArray().ToArray();
        Assert.Equal(2, inputs.Length);
        Assert.Equal("FP32", inputs[0].GetProperty("datatype").GetString());
        Assert.Equal([-1, build.Tags.Length], Shape(inputs[0]));
        Assert.Equal("y", inputs[1].GetProperty("name").GetString());
        Assert.Equal([-1, build.Targets.Length], Shape(inputs[1]));
        var outputs = metadata.GetProperty("outputs").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Contains("tag-anomaly-scaled", outputs.Keys);
        Assert.Equal([-1], Shape(outputs["total-anomaly-scaled"]));
        Assert.Equal([-1, build.Targets.Length], Shape(outputs["anomaly-confidence"]));
        Assert.Equal(JsonSerializer.Serialize(build.Tags), metadata.GetProperty("properties").GetProperty("tags").GetString());

        // A plain model has no anomaly outputs and no y; a version is a revision.
        var plain = await (await Server.GetAsync("/v2/models/plain")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(plain.GetProperty("inputs").EnumerateArray());
        Assert.Single(plain.GetProperty("outputs").EnumerateArray());
        var old = await (await Server.GetAsync($"/v2/models/old-only/versions/{TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("old-only", old.GetProperty("name").GetString());
        Assert.Contains("Unknown model", await (await Server.GetAsync("/v2/models/old-only")).V2ErrorAsync(HttpStatusCode.NotFound), StringComparison.Ordinal);
        await (await Server.GetAsync("/v2/models/pump-1/versions/1234")).V2ErrorAsync(HttpStatusCode.NotFound);
        await (await Server.GetAsync("/v2/models/no-such-model")).V2ErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Model_ready_loads_the_model_and_says_so()
    {
        var ready = await (await Server.GetAsync("/v2/models/pump-1/ready")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("pump-1", ready.GetProperty("name").GetString());
        Assert.True(ready.GetProperty("ready").GetBoolean());
        var old = await (await Server.GetAsync($"/v2/models/old-only/versions/{TestCollection.OldRevision}/ready")).JsonAsync(HttpStatusCode.OK);
        Assert.True(old.GetProperty("ready").GetBoolean());
        await (await Server.GetAsync($"/v2/models/pump-1/versions/99/ready")).V2ErrorAsync(HttpStatusCode.NotFound);
        var broken = await (await Server.GetAsync($"/v2/models/{MalformedModels.CorruptOnnx}/ready")).JsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.False(broken.GetProperty("ready").GetBoolean());
        await (await Server.GetAsync("/v2/models/no-such-model/ready")).V2ErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("pump-1")]
    [InlineData("windowed-ewma")]
    [InlineData("subset-targets")]
    public async Task Json_inference_gives_the_gordo_routes_numbers_for_the_same_rows(string model)
    {
        var build = Collection.Current(model);
        var rows = new V2Rows(build, 100, Rows);
        var gordo = await rows.GordoAnomalyAsync(Server, model);
        var metadata = await (await Server.GetAsync($"/v2/models/{model}")).JsonAsync(HttpStatusCode.OK);
        var input = metadata.GetProperty("inputs")[0];
        var graphOutput = metadata.GetProperty("outputs")[0].GetProperty("name").GetString()!;
        var request = new JsonObject
        {
            ["id"] = "req-7",
            ["inputs"] = new JsonArray(
                Tensor(input.GetProperty("name").GetString()!, input.GetProperty("datatype").GetString()!, Rows, build.Tags.Length, rows.X, nested: true),
                Tensor("y", "FP64", Rows, build.Targets.Length, rows.Y, nested: false)),
            ["outputs"] = new JsonArray(Output(graphOutput), Output("tag-anomaly-scaled"), Output("total-anomaly-scaled"), Output("anomaly-confidence"), Output("total-anomaly-unscaled")),
        };
        var answer = await (await PostAsync($"/v2/models/{model}/infer", request)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(model, answer.GetProperty("model_name").GetString());
        Assert.Equal(TestCollection.CurrentRevision, answer.GetProperty("model_version").GetString());
        Assert.Equal("req-7", answer.GetProperty("id").GetString());
        var outputs = answer.GetProperty("outputs").EnumerateArray().ToArray();
        Assert.Equal([graphOutput, "tag-anomaly-scaled", "total-anomaly-scaled", "anomaly-confidence", "total-anomaly-unscaled"], outputs.Select(o => o.GetProperty("name").GetString()!).ToArray());
        var outRows = Rows - build.ModelOffset;
        Assert.Equal([outRows, build.Targets.Length], Shape(outputs[0]));
        Assert.Equal([outRows], Shape(outputs[2]));
        Near(gordo["model-output"], Data(outputs[0]));
        Near(gordo["tag-anomaly-scaled"], Data(outputs[1]));
        Near(gordo["total-anomaly-scaled"], Data(outputs[2]));
        Near(gordo["anomaly-confidence"], Data(outputs[3]));
        Near(gordo["total-anomaly-unscaled"], Data(outputs[4]));
    }

    [Fact]
    public async Task Without_outputs_it_answers_what_the_inputs_allow()
    {
        var build = Collection.Current("pump-1");
        var rows = new V2Rows(build, 0, Rows);
        var onlyX = new JsonObject { ["inputs"] = new JsonArray(Tensor(await InputNameAsync("pump-1"), "FP32", Rows, build.Tags.Length, rows.X, nested: false)) };
        var prediction = await (await PostAsync("/v2/models/pump-1/infer", onlyX)).JsonAsync(HttpStatusCode.OK);
        Assert.Single(prediction.GetProperty("outputs").EnumerateArray());
        Assert.False(prediction.TryGetProperty("id", out _));

        var both = new JsonObject
        {
            ["inputs"] = new JsonArray(Tensor(await InputNameAsync("pump-1"), "FP32", Rows, build.Tags.Length, rows.X, nested: false),
                Tensor("y", "FP64", Rows, build.Targets.Length, rows.Y, nested: false)),
        };
        var anomaly = await (await PostAsync("/v2/models/pump-1/infer", both)).JsonAsync(HttpStatusCode.OK);
        var names = anomaly.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["tag-anomaly-scaled", "total-anomaly-scaled", "tag-anomaly-unscaled", "total-anomaly-unscaled", "anomaly-confidence", "total-anomaly-confidence"], names[1..]);

        // The version in the path is the revision that runs.
        var old = await (await PostAsync($"/v2/models/pump-1/versions/{TestCollection.OldRevision}/infer", onlyX)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.OldRevision, old.GetProperty("model_version").GetString());
        Assert.NotEqual(Data(prediction.GetProperty("outputs")[0]), Data(old.GetProperty("outputs")[0]));
    }

    [Fact]
    public async Task Binary_tensors_in_and_out_match_the_json_answer()
    {
        var build = Collection.Current("pump-1");
        var rows = new V2Rows(build, 200, Rows);
        var inputName = await InputNameAsync("pump-1");
        var jsonAnswer = await (await PostAsync("/v2/models/pump-1/infer", new JsonObject
        {
            ["inputs"] = new JsonArray(Tensor(inputName, "FP32", Rows, build.Tags.Length, rows.X, nested: false), Tensor("y", "FP64", Rows, build.Targets.Length, rows.Y, nested: false)),
            ["outputs"] = new JsonArray(Output("total-anomaly-scaled"), Output("tag-anomaly-unscaled")),
        })).JsonAsync(HttpStatusCode.OK);

        var x = Floats(rows.X);
        var y = Doubles(rows.Y);
        var header = new JsonObject
        {
            ["inputs"] = new JsonArray(BinaryTensor(inputName, "FP32", Rows, build.Tags.Length, x.Length), BinaryTensor("y", "FP64", Rows, build.Targets.Length, y.Length)),
            ["outputs"] = new JsonArray(
                new JsonObject { ["name"] = "total-anomaly-scaled", ["parameters"] = new JsonObject { ["binary_data"] = true } },
                new JsonObject { ["name"] = "tag-anomaly-unscaled" }),
        };
        var (json, binary) = await PostBinaryAsync("/v2/models/pump-1/infer", header, x, y);
        var outputs = json.GetProperty("outputs").EnumerateArray().ToArray();
        var size = outputs[0].GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
        Assert.False(outputs[0].TryGetProperty("data", out _));
        Assert.Equal(size, binary.Length);
        var total = Enumerable.Range(0, size / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(binary.AsSpan(i * 8))).ToArray();
        Assert.Equal(Data(jsonAnswer.GetProperty("outputs")[0]), total);
        Assert.Equal(Data(jsonAnswer.GetProperty("outputs")[1]), Data(outputs[1]));

        // binary_data_output: every output binary, in order; the graph output as FP32 bytes.
        header["parameters"] = new JsonObject { ["binary_data_output"] = true };
        header.Remove("outputs");
        var (all, bytes) = await PostBinaryAsync("/v2/models/pump-1/infer", header, x, y);
        var sizes = all.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("parameters").GetProperty("binary_data_size").GetInt32()).ToArray();
        Assert.Equal(bytes.Length, sizes.Sum());
        Assert.Equal((Rows - build.ModelOffset) * build.Targets.Length * 4, sizes[0]);
    }

    public static TheoryData<string, string> MalformedRequests => new()
    {
        { "shape", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[2,5],"data":[1,2,3,4,5,6,7,8,9,10]}]}""" },
        { "datatype", """{"inputs":[{"name":"$X","datatype":"FP64","shape":[1,6],"data":[1,2,3,4,5,6]}]}""" },
        { "datatype", """{"inputs":[{"name":"$X","datatype":"INT64","shape":[1,6],"data":[1,2,3,4,5,6]}]}""" },
        { "holds", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[2,6],"data":[1,2,3,4,5,6]}]}""" },
        { "holds a string", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[1,6],"data":[1,2,3,"4",5,6]}]}""" },
        { "Unknown output", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[1,6],"data":[1,2,3,4,5,6]}],"outputs":[{"name":"nope"}]}""" },
        { "'y' input, which is missing", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[1,6],"data":[1,2,3,4,5,6]}],"outputs":[{"name":"tag-anomaly-scaled"}]}""" },
        { "Unknown input", """{"inputs":[{"name":"Z","datatype":"FP32","shape":[1,6],"data":[1,2,3,4,5,6]}]}""" },
        { "is missing", """{"inputs":[{"name":"y","datatype":"FP64","shape":[1,6],"data":[1,2,3,4,5,6]}]}""" },
        { "no rows", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[0,6],"data":[]}]}""" },
        { "negative", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[-1,6],"data":[1,2,3,4,5,6]}]}""" },
        { "binary data", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[1,6],"parameters":{"binary_data_size":24}}]}""" },
        { "not valid JSON", """{"inputs":[{"name":"$X","datatype":"FP32","shape":[1,6],"data":[1,2,3""" },
        { "no inputs", """{"inputs":[]}""" },
        { "JSON object", """[1,2,3]""" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_tensors_get_400_with_what_was_wrong(string expected, string body)
    {
        var json = body.Replace("$X", await InputNameAsync("pump-1"), StringComparison.Ordinal);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await Server.Client.PostAsync("/v2/models/pump-1/infer", content, TestContext.Current.CancellationToken);
        var error = await response.V2ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(23, 0, "declares 23 bytes")]
    [InlineData(24, 8, "no input declares")]
    [InlineData(24, -8, "remain")]
    public async Task Binary_byte_counts_that_do_not_add_up_get_400(int declared, int extra, string expected)
    {
        var header = new JsonObject { ["inputs"] = new JsonArray(BinaryTensor(await InputNameAsync("pump-1"), "FP32", 1, 6, declared)) };
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var body = new byte[headerBytes.Length + Math.Max(0, 24 + extra)];
        headerBytes.CopyTo(body, 0);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        var response = await Server.Client.PostAsync("/v2/models/pump-1/infer", content, TestContext.Current.CancellationToken);
        Assert.Contains(expected, await response.V2ErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);

        using var tooLong = new ByteArrayContent(headerBytes);
        tooLong.Headers.Add("Inference-Header-Content-Length", "100000");
        var overrun = await Server.Client.PostAsync("/v2/models/pump-1/infer", tooLong, TestContext.Current.CancellationToken);
        Assert.Contains("Inference-Header-Content-Length", await overrun.V2ErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Infer_requests_are_counted_logged_and_carry_the_request_id()
    {
        var build = Collection.Current("windowed-sma");
        var rows = new V2Rows(build, 0, 10);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/windowed-sma/infer")
        {
            Content = new StringContent(new JsonObject { ["inputs"] = new JsonArray(Tensor(await InputNameAsync("windowed-sma"), "FP32", 10, build.Tags.Length, rows.X, nested: false)) }.ToJsonString(),
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Request-ID", "v2-rest-request-1");
        var response = await Server.Client.SendAsync(request, TestContext.Current.CancellationToken);
        await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("v2-rest-request-1", response.Headers.GetValues("X-Request-ID").Single());
        var metrics = await (await Server.GetAsync("/metrics")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("gordo_server_requests_total{", metrics, StringComparison.Ordinal);
        Assert.Contains(metrics.Split('\n'), line => line.StartsWith("gordo_server_requests_total{", StringComparison.Ordinal)
            && line.Contains("model=\"windowed-sma\"", StringComparison.Ordinal) && line.Contains("path=\"/v2/models/<model_name>/infer\"", StringComparison.Ordinal)
            && line.Contains("status_code=\"200\"", StringComparison.Ordinal));
        Assert.Contains(Server.Logs.Entries, e => e.Message.Contains("POST /v2/models/windowed-sma/infer 200", StringComparison.Ordinal) && e.RequestId == "v2-rest-request-1");
    }

    internal static JsonObject Tensor(string name, string datatype, int rows, int columns, double[] values, bool nested)
    {
        JsonArray data;
        if (nested)
        {
            data = [];
            for (var r = 0; r < rows; r++)
            {
                data.Add(new JsonArray([.. values.Skip(r * columns).Take(columns).Select(v => (JsonNode)JsonValue.Create(v))]));
            }
        }
        else
        {
            data = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        return new JsonObject { ["name"] = name, ["datatype"] = datatype, ["shape"] = new JsonArray(rows, columns), ["data"] = data };
    }

    private static JsonObject BinaryTensor(string name, string datatype, int rows, int columns, int bytes) => new()
    {
        ["name"] = name,
        ["datatype"] = datatype,
        ["shape"] = new JsonArray(rows, columns),
        ["parameters"] = new JsonObject { ["binary_data_size"] = bytes },
    };

    private static JsonObject Output(string name) => new() { ["name"] = name };

    private async Task<string> InputNameAsync(string model) =>
        (await (await Server.GetAsync($"/v2/models/{model}")).JsonAsync(HttpStatusCode.OK)).GetProperty("inputs")[0].GetProperty("name").GetString()!;

    private Task<HttpResponseMessage> PostAsync(string path, JsonObject body) => Server.PostJsonAsync(path, body.ToJsonString());

    private async Task<(JsonElement Json, byte[] Binary)> PostBinaryAsync(string path, JsonObject header, params byte[][] tensors)
    {
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var body = headerBytes.Concat(tensors.SelectMany(t => t)).ToArray();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", headerBytes.Length.ToString(CultureInfo.InvariantCulture));
        var response = await Server.Client.PostAsync(path, content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var length = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        using var json = JsonDocument.Parse(bytes.AsMemory(0, length));
        return (json.RootElement.Clone(), bytes[length..]);
    }

    internal static byte[] Floats(double[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)values[i]);
        }

        return bytes;
    }

    internal static byte[] Doubles(double[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    internal static long[] Shape(JsonElement tensor) => [.. tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];

    internal static double[] Data(JsonElement tensor) =>
        [.. tensor.GetProperty("data").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN)];

    /// <summary>Within float tolerance: the same computation, one side through float32 text.</summary>
    internal static void Near(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"value {i}: {expected[i]} against {actual[i]}");
        }
    }
}
