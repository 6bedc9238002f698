using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Every JSON frame shape gordo accepts (gordo-api.md §1.5), sent for the same rows, gives the same
/// model output as the gordo client's shape; indexes are parsed, sorted and echoed as gordo does.
/// </summary>
public sealed class InputShapeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Start = 20;
    private const int Rows = 5;

    private GordoServerHost Server => fixture.Server;

    private Gordo.ModelBuilder.Output.BuildResult Pump => fixture.Collection.Current("pump-1");

    [Fact]
    public async Task Every_shape_gives_the_same_output_as_the_gordo_client_shape()
    {
        var reference = await OutputsAsync(GordoPayload.FromDataset(Pump.Data, Start, Rows, null));
        var tags = Pump.Tags;
        string Value(int r, int c) => Pump.Data.Values[Start + r, c].ToString("R", CultureInfo.InvariantCulture);

        var columnToList = "{\"X\": {" + string.Join(", ", tags.Select((t, c) => $"\"{t}\": [{string.Join(", ", Enumerable.Range(0, Rows).Select(r => Value(r, c)))}]")) + "}}";
        var records = "{\"X\": [" + string.Join(", ", Enumerable.Range(0, Rows).Select(r => "{" + string.Join(", ", tags.Select((t, c) => $"\"{t}\": {Value(r, c)}")) + "}")) + "]}";
        var rows = "{\"X\": [" + string.Join(", ", Enumerable.Range(0, Rows).Select(r => "[" + string.Join(", ", tags.Select((_, c) => Value(r, c))) + "]")) + "]}";
        var integerKeys = "{\"X\": {" + string.Join(", ", tags.Select((t, c) => $"\"{t}\": {{{string.Join(", ", Enumerable.Range(0, Rows).Select(r => $"\"{r}\": {Value(r, c)}"))}}}")) + "}}";

        foreach (var body in new[] { columnToList, records, rows, integerKeys })
        {
            var outputs = await OutputsAsync(body);
            Assert.Equal(Enumerable.Range(0, Rows).Select(r => r.ToString(CultureInfo.InvariantCulture)), outputs.Keys);
            for (var r = 0; r < Rows; r++)
            {
                Assert.Equal(reference.Values[r], outputs.Values[r]);
            }
        }
    }

    [Fact]
    public async Task Positional_indexes_have_null_start_and_end()
    {
        var data = await DataAsync("{\"X\": [[1,2,3,4,5,6],[6,5,4,3,2,1]]}");
        Assert.All(data.GetProperty("start").GetProperty("start").EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Equal(["0", "1"], data.GetProperty("start").GetProperty("start").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task Rows_are_sorted_by_index_and_keep_their_values()
    {
        var shuffled = ReverseRows(GordoPayload.FromDataset(Pump.Data, Start, Rows, null));
        var reference = await OutputsAsync(GordoPayload.FromDataset(Pump.Data, Start, Rows, null));
        var outputs = await OutputsAsync(shuffled);
        Assert.Equal(reference.Keys, outputs.Keys);
        Assert.Equal(reference.Values, outputs.Values);

        var data = await DataAsync("{\"X\": {\"0\": {\"10\": 1, \"2\": 2, \"1\": 3}, \"1\": {\"10\": 1, \"2\": 2, \"1\": 3}, \"2\": {\"10\": 1, \"2\": 2, \"1\": 3}, \"3\": {\"10\": 1, \"2\": 2, \"1\": 3}, \"4\": {\"10\": 1, \"2\": 2, \"1\": 3}, \"5\": {\"10\": 1, \"2\": 2, \"1\": 3}}}");
        Assert.Equal(["1", "2", "10"], data.GetProperty("model-input").GetProperty("PT-101").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal([3.0, 2, 1], data.GetProperty("model-input").GetProperty("PT-101").EnumerateObject().Select(p => p.Value.GetDouble()).ToArray());
    }

    [Fact]
    public async Task Columns_are_selected_by_name_extras_dropped_and_wrong_names_renamed_by_position()
    {
        var reference = await OutputsAsync(GordoPayload.FromDataset(Pump.Data, Start, Rows, null));

        // Reverse the column order and add an unknown column: selection by name.
        var node = System.Text.Json.Nodes.JsonNode.Parse(GordoPayload.FromDataset(Pump.Data, Start, Rows, null))!;
        var x = node["X"]!.AsObject();
        var reordered = new System.Text.Json.Nodes.JsonObject();
        foreach (var (name, column) in x.Reverse().ToList())
        {
            x.Remove(name);
            reordered[name] = column;
        }

        reordered["not-a-tag"] = reordered[Pump.Tags[0]]!.DeepClone();
        node["X"] = reordered;
        Assert.Equal(reference.Values, (await OutputsAsync(node.ToJsonString())).Values);

        // Six wrongly named columns in the tags' order: renamed by position.
        var renamed = System.Text.Json.Nodes.JsonNode.Parse(GordoPayload.FromDataset(Pump.Data, Start, Rows, null))!;
        var columns = renamed["X"]!.AsObject();
        var wrong = new System.Text.Json.Nodes.JsonObject();
        var i = 0;
        foreach (var (_, column) in columns.ToList())
        {
            wrong[$"wrong-{i++}"] = column!.DeepClone();
        }

        renamed["X"] = wrong;
        var data = await DataAsync(renamed.ToJsonString());
        Assert.Equal(Pump.Tags.Order(StringComparer.Ordinal), data.GetProperty("model-input").EnumerateObject().Select(p => p.Name));
        Assert.Equal(reference.Values, Outputs(data).Values);
    }

    [Fact]
    public async Task A_flat_list_is_one_column()
    {
        var data = await DataAsync("{\"X\": [100.5, 101.5, 99.0]}", "single-tag");
        Assert.Equal(3, data.GetProperty("model-output").GetProperty("PT-101").EnumerateObject().Count());
    }

    [Fact]
    public async Task Offsets_and_fractions_are_echoed_in_keys_start_and_end()
    {
        var keys = new[] { "2020-03-10T01:00:00.5+01:00", "2020-03-10T01:10:00.5+01:00" };
        var body = "{\"X\": {" + string.Join(", ", Pump.Tags.Select(t => $"\"{t}\": {{{string.Join(", ", keys.Select(k => $"\"{k}\": 100"))}}}")) + "}, \"y\": {"
            + string.Join(", ", Pump.Targets.Select(t => $"\"{t}\": {{{string.Join(", ", keys.Select(k => $"\"{k}\": 101"))}}}")) + "}}";
        var response = await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body);
        var data = (await response.JsonAsync(HttpStatusCode.OK)).GetProperty("data");
        var start = data.GetProperty("start").GetProperty("start");
        Assert.Equal(["2020-03-10 01:00:00.500000+01:00", "2020-03-10 01:10:00.500000+01:00"], start.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("2020-03-10T01:00:00.500000+01:00", start.GetProperty("2020-03-10 01:00:00.500000+01:00").GetString());
        Assert.Equal("2020-03-10T01:20:00.500000+01:00", data.GetProperty("end").GetProperty("end").GetProperty("2020-03-10 01:10:00.500000+01:00").GetString());
    }

    [Fact]
    public async Task Naive_timestamps_stay_naive()
    {
        var body = "{\"X\": {" + string.Join(", ", Pump.Tags.Select(t => $"\"{t}\": {{\"2020-01-01 00:00:00\": 1}}")) + "}}";
        var start = (await DataAsync(body)).GetProperty("start").GetProperty("start");
        Assert.Equal("2020-01-01T00:00:00", start.GetProperty("2020-01-01 00:00:00").GetString());
    }

    [Fact]
    public async Task Python_nan_tokens_are_missing_values()
    {
        var key = GordoPayload.Key(Pump.Data.TimestampsUtc[Start]);
        var body = GordoPayload.FromDataset(Pump.Data, Start, 2, null);
        var value = Pump.Data.Values[Start, 0].ToString("R", CultureInfo.InvariantCulture);
        var withNaN = body.Replace($"\"{key}\":{value}", $"\"{key}\":NaN", StringComparison.Ordinal);
        Assert.NotEqual(body, withNaN);
        var data = await DataAsync(withNaN);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("model-input").GetProperty(Pump.Tags[0]).GetProperty(key).ValueKind);
    }

    [Theory]
    [InlineData("{\"X\": {\"PT-101\": {\"2020-01-01T00:00:00\": 1, \"2020-01-01T00:10:00Z\": 2}}}", "naive")]
    [InlineData("{\"X\": {\"PT-101\": {\"noon\": 1}}}", "neither")]
    [InlineData("{\"X\": [[1, 2, true, 4, 5, 6]]}", "boolean")]
    public async Task Unusable_frames_are_400_json(string body, string reason)
    {
        var error = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private async Task<JsonElement> DataAsync(string body, string model = "pump-1") =>
        (await (await Server.PostJsonAsync($"/gordo/v0/p/{model}/prediction", body)).JsonAsync(HttpStatusCode.OK)).GetProperty("data");

    private async Task<(string[] Keys, double[][] Values)> OutputsAsync(string body) => Outputs(await DataAsync(body));

    private (string[] Keys, double[][] Values) Outputs(JsonElement data)
    {
        var output = data.GetProperty("model-output");
        var keys = output.GetProperty(Pump.Targets[0]).EnumerateObject().Select(p => p.Name).ToArray();
        var values = keys.Select(k => Pump.Targets.Select(t => output.GetProperty(t).GetProperty(k).GetDouble()).ToArray()).ToArray();
        return (keys, values);
    }

    private static string ReverseRows(string body)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        foreach (var (_, column) in node["X"]!.AsObject())
        {
            var entries = column!.AsObject().Reverse().Select(e => (e.Key, e.Value!.DeepClone())).ToList();
            column.AsObject().Clear();
            foreach (var (key, value) in entries)
            {
                column.AsObject()[key] = value;
            }
        }

        return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(node.ToJsonString()));
    }
}
