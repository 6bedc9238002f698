using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>The per-model routes: metadata, healthcheck, download-model, prediction, anomaly/prediction,
/// and the status codes of gordo's matrix that they answer.</summary>
public sealed class ModelRoutesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private GordoServerHost Server => fixture.Server;

    private TestCollection Collection => fixture.Collection;

    [Fact]
    public async Task Metadata_holds_the_file_unchanged_with_info_env_version_and_revision()
    {
        var json = await (await Server.GetAsync("/gordo/v0/p/pump-1/metadata")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["checksum", "env", "gordo-server-version", "metadata", "revision"], json.EnumerateObject().Select(p => p.Name).ToArray());
        var directory = Path.Combine(Collection.CurrentDirectory, "pump-1");
        using var file = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "metadata.json")));
        Assert.True(JsonElement.DeepEquals(file.RootElement, json.GetProperty("metadata")), "metadata differs from metadata.json");
        using var info = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "info.json")));
        Assert.Equal(info.RootElement.GetProperty("checksum").GetString(), json.GetProperty("checksum").GetString());
        Assert.Equal(Collection.CurrentDirectory, json.GetProperty("env").GetProperty("MODEL_COLLECTION_DIR").GetString());
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("revision").GetString());

        // jsonify sorts keys at every level.
        var names = json.GetProperty("metadata").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal).ToArray(), names);
    }

    [Fact]
    public async Task Model_healthcheck_is_the_metadata_body()
    {
        var metadata = await (await Server.GetAsync("/gordo/v0/p/pump-1/metadata")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var healthcheck = await (await Server.GetAsync("/gordo/v0/p/pump-1/healthcheck")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(metadata, healthcheck);
    }

    [Fact]
    public async Task Metadata_of_an_older_revision_by_query_and_by_header()
    {
        var byQuery = await (await Server.GetAsync($"/gordo/v0/p/pump-1/metadata?revision={TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/pump-1/metadata");
        request.Headers.Add("revision", TestCollection.OldRevision);
        var byHeader = await (await Server.Client.SendAsync(request, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        var current = await (await Server.GetAsync("/gordo/v0/p/pump-1/metadata")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.OldRevision, byQuery.GetProperty("revision").GetString());
        Assert.True(JsonElement.DeepEquals(byQuery.GetProperty("metadata"), byHeader.GetProperty("metadata")));
        Assert.NotEqual(current.GetProperty("checksum").GetString(), byQuery.GetProperty("checksum").GetString());
        // env names the configured (current) directory even for another revision.
        Assert.Equal(Collection.CurrentDirectory, byQuery.GetProperty("env").GetProperty("MODEL_COLLECTION_DIR").GetString());
        await (await Server.GetAsync($"/gordo/v0/p/old-only/metadata?revision={TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        await (await Server.GetAsync("/gordo/v0/p/old-only/metadata")).ErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("metadata")]
    [InlineData("healthcheck")]
    [InlineData("download-model")]
    public async Task A_missing_model_is_404_and_a_bad_name_422(string route)
    {
        var missing = await (await Server.GetAsync($"/gordo/v0/p/no-such-model/{route}")).ErrorAsync(HttpStatusCode.NotFound);
        Assert.Contains("no-such-model", missing, StringComparison.Ordinal);
        var invalid = await (await Server.GetAsync($"/gordo/v0/p/bad_name/{route}")).ErrorAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("bad_name", invalid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_model_with_format_onnx_returns_the_onnx_bytes()
    {
        var response = await Server.GetAsync("/gordo/v0/p/pump-1/download-model?format=onnx");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("inline; filename=model.onnx", response.Content.Headers.ContentDisposition?.ToString());
        var expected = await File.ReadAllBytesAsync(Path.Combine(Collection.CurrentDirectory, "pump-1", "model.onnx"), TestContext.Current.CancellationToken);
        Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(response.Headers.GetValues("revision")));
    }

    [Fact]
    public async Task Prediction_returns_input_and_output_groups_without_end_or_time()
    {
        var build = Collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 100, 12, build.Targets);
        var json = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["data", "revision"], json.EnumerateObject().Select(p => p.Name).ToArray());
        var data = json.GetProperty("data");
        Assert.Equal(["end", "model-input", "model-output", "start"], data.EnumerateObject().Select(p => p.Name).ToArray());
        var keys = build.Data.TimestampsUtc.Skip(100).Take(12).Select(GordoPayload.Key).ToArray();
        var start = data.GetProperty("start").GetProperty("start");
        Assert.Equal(keys, start.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(GordoPayload.Iso(build.Data.TimestampsUtc[100]), start.GetProperty(keys[0]).GetString());
        Assert.All(data.GetProperty("end").GetProperty("end").EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Equal(build.Tags.Order(StringComparer.Ordinal), data.GetProperty("model-input").EnumerateObject().Select(p => p.Name));
        var expected = build.Model.Predict(build.Data.Values.SliceRows(100, 12));
        for (var t = 0; t < build.Targets.Length; t++)
        {
            var column = data.GetProperty("model-output").GetProperty(build.Targets[t]);
            for (var r = 0; r < 12; r++)
            {
                Assert.Equal(expected[r, t], column.GetProperty(keys[r]).GetDouble(), 1e-3 * Math.Max(1, Math.Abs(expected[r, t])));
            }
        }
    }

    [Fact]
    public async Task Anomaly_prediction_has_gordo_shape_and_time_seconds()
    {
        var build = Collection.Current("pump-1");
        var response = await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 5, build.Targets));
        var json = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["data", "time-seconds", "revision"], json.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Matches(@"^\d+\.\d{4}$", json.GetProperty("time-seconds").GetString());
        var data = json.GetProperty("data");
        Assert.Equal(
            ["anomaly-confidence", "end", "model-input", "model-output", "start", "tag-anomaly-scaled", "tag-anomaly-unscaled",
             "total-anomaly-confidence", "total-anomaly-scaled", "total-anomaly-unscaled"],
            data.EnumerateObject().Select(p => p.Name).ToArray());
        // Single columns repeat their group's name; end is start + resolution (10 minutes).
        Assert.True(data.GetProperty("total-anomaly-scaled").TryGetProperty("total-anomaly-scaled", out _));
        var key = GordoPayload.Key(build.Data.TimestampsUtc[0]);
        Assert.Equal(GordoPayload.Iso(build.Data.TimestampsUtc[0].AddMinutes(10)), data.GetProperty("end").GetProperty("end").GetProperty(key).GetString());
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(response.Headers.GetValues("revision")));
    }

    [Fact]
    public async Task Prediction_uses_the_requested_revisions_model()
    {
        var build = Collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 3, null);
        var current = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).JsonAsync(HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/gordo/v0/p/pump-1/prediction") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("revision", TestCollection.OldRevision);
        var old = await (await Server.Client.SendAsync(request, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.OldRevision, old.GetProperty("revision").GetString());
        var key = GordoPayload.Key(build.Data.TimestampsUtc[0]);
        var tag = build.Targets[0];
        Assert.NotEqual(
            current.GetProperty("data").GetProperty("model-output").GetProperty(tag).GetProperty(key).GetDouble(),
            old.GetProperty("data").GetProperty("model-output").GetProperty(tag).GetProperty(key).GetDouble());
    }

    [Theory]
    [InlineData("prediction")]
    [InlineData("anomaly/prediction")]
    public async Task A_body_without_X_is_400_message(string route)
    {
        foreach (var body in new[] { "{}", "{\"y\": {}}", "[1, 2]", "null", "\"X\"", "{\"x\": []}" })
        {
            var message = await (await Server.PostJsonAsync($"/gordo/v0/p/pump-1/{route}", body)).ErrorAsync(HttpStatusCode.BadRequest, "message");
            Assert.Equal("Cannot predict without \"X\"", message);
        }

        // Not JSON and not multipart: gordo looks for a file part X and finds none.
        var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("X", "1")]);
        var formMessage = await (await Server.Client.PostAsync($"/gordo/v0/p/pump-1/{route}", form, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.BadRequest, "message");
        Assert.Equal("Cannot predict without \"X\"", formMessage);
    }

    [Theory]
    [InlineData("{\"X\": ")]
    [InlineData("{\"X\": {\"a\": [1, 2,]}}")]
    [InlineData("{\"X\": [[1, 2]]} trailing")]
    [InlineData("")]
    [InlineData("{'X': [[1]]}")]
    public async Task Invalid_json_is_400_json(string body)
    {
        var error = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("Failed to decode JSON object", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_for_a_missing_model_is_404_as_gordo_checks_the_model_first()
    {
        await (await Server.PostJsonAsync("/gordo/v0/p/no-such-model/prediction", "{not json")).ErrorAsync(HttpStatusCode.NotFound);
        await (await Server.PostJsonAsync("/gordo/v0/p/no-such-model/anomaly/prediction", "{}")).ErrorAsync(HttpStatusCode.NotFound);
        await (await Server.PostJsonAsync("/gordo/v0/p/bad_name/prediction", "{}")).ErrorAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Wrong_column_count_is_400_unexpected_features()
    {
        var message = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", "{\"X\": [[1, 2, 3], [4, 5, 6]]}")).ErrorAsync(HttpStatusCode.BadRequest, "message");
        Assert.StartsWith("Unexpected features: was expecting ['PT-101', 'TT-102', 'FT-103', 'VT-104', 'LT-105', 'ST-106'] length of 6, but got ['0', '1', '2'] length of 3", message, StringComparison.Ordinal);
        var build = Collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 4, ["PT-101"]);
        message = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).ErrorAsync(HttpStatusCode.BadRequest, "message");
        Assert.StartsWith("Unexpected features: was expecting ['PT-101', 'TT-102'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multi_level_columns_are_400()
    {
        var body = "{\"X\": {\"ft1\": {\"col1\": {\"2020-01-01\": 1.0}, \"col2\": {\"2020-01-01\": 2.0}}}}";
        var message = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", body)).ErrorAsync(HttpStatusCode.BadRequest, "message");
        Assert.Equal("Server does not support multi-level dataframes at this time: [('ft1', 'col1'), ('ft1', 'col2')]", message);
    }

    [Fact]
    public async Task Anomaly_without_y_is_400_message()
    {
        var build = Collection.Current("pump-1");
        foreach (var body in new[] { GordoPayload.FromDataset(build.Data, 0, 4, null), GordoPayload.FromDataset(build.Data, 0, 4, null)[..^1] + ", \"y\": null}" })
        {
            var message = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).ErrorAsync(HttpStatusCode.BadRequest, "message");
            Assert.Equal("Cannot perform anomaly without 'y' to compare against.", message);
        }

        // The plain prediction route takes X alone.
        await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", GordoPayload.FromDataset(build.Data, 0, 4, null))).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("no-thresholds")]
    public async Task A_model_that_cannot_compute_anomalies_is_422_and_still_predicts(string name)
    {
        var build = Collection.Current(name);
        var body = GordoPayload.FromDataset(build.Data, 0, 4, build.Targets);
        var message = await (await Server.PostJsonAsync($"/gordo/v0/p/{name}/anomaly/prediction", body)).ErrorAsync(HttpStatusCode.UnprocessableEntity, "message");
        Assert.StartsWith("Model is not an AnomalyDetector, it is of type:", message, StringComparison.Ordinal);
        await (await Server.PostJsonAsync($"/gordo/v0/p/{name}/prediction", body)).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Values_that_are_not_numbers_and_frames_without_rows_are_400()
    {
        var message = await (await Server.PostJsonAsync("/gordo/v0/p/single-tag/prediction", "{\"X\": [\"1.5\", \"abc\"]}")).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("row 1", message, StringComparison.Ordinal);
        message = await (await Server.PostJsonAsync("/gordo/v0/p/single-tag/prediction", "{\"X\": {\"PT-101\": {}}}")).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("X has no rows.", message);
    }

    [Fact]
    public async Task A_model_that_raises_when_run_is_400_value_error_with_onnx_runtimes_message()
    {
        var build = Collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 3, null);
        var error = await (await Server.PostJsonAsync($"/gordo/v0/p/{MalformedModels.DynamicWidth}/prediction", body)).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("ValueError: ", error, StringComparison.Ordinal);
        Assert.Contains("scale", error, StringComparison.Ordinal); // ONNX Runtime names the failing node
    }

    [Fact]
    public async Task Keys_and_strings_are_escaped_only_as_json_requires()
    {
        var build = Collection.Current("pump-1");
        var response = await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 2, build.Targets));
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains($"\"{GordoPayload.Key(build.Data.TimestampsUtc[0])}\":", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u00", raw, StringComparison.Ordinal);
        var error = await (await Server.GetAsync("/gordo/v0/p/it's/metadata")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("'it's'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Responses_are_application_json_without_charset()
    {
        var build = Collection.Current("pump-1");
        var response = await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 2, build.Targets));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Null(response.Content.Headers.ContentType.CharSet);
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType);
    }
}
