using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gordo.Frames.Parquet;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// The prediction routes over Parquet, as the gordo client uses them: multipart file parts X and y in,
/// <c>?format=parquet</c> out, with the same answers and the same validation as JSON.
/// </summary>
public sealed class ParquetRoutesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private GordoServerHost Server => fixture.Server;

    private TestCollection Collection => fixture.Collection;

    [Theory]
    [InlineData("pump-1", "anomaly/prediction")]
    [InlineData("windowed-smm", "anomaly/prediction")]
    [InlineData("lookback-3", "anomaly/prediction")]
    [InlineData("pump-1", "prediction")]
    public async Task Multipart_parquet_input_answers_exactly_as_json_input(string name, string route)
    {
        var build = Collection.Current(name);
        var json = await (await Server.PostJsonAsync($"/gordo/v0/p/{name}/{route}?all_columns=true", GordoPayload.FromDataset(build.Data, 40, 30, build.Targets))).JsonAsync(HttpStatusCode.OK);
        using var multipart = PandasParquet.Multipart(
            PandasParquet.FromDataset(build.Data, 40, 30, build.Data.Tags), PandasParquet.FromDataset(build.Data, 40, 30, build.Targets));
        var parquet = await (await Server.Client.PostAsync($"/gordo/v0/p/{name}/{route}?all_columns=true", multipart, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        Assert.True(JsonElement.DeepEquals(json.GetProperty("data"), parquet.GetProperty("data")), "The Parquet request was answered differently from the JSON one.");
        Assert.Equal(TestCollection.CurrentRevision, parquet.GetProperty("revision").GetString());
    }

    [Theory]
    [InlineData("anomaly/prediction")]
    [InlineData("prediction")]
    public async Task Format_parquet_answers_the_same_frame_as_parquet_bytes(string route)
    {
        var build = Collection.Current("windowed-smm");
        var body = GordoPayload.FromDataset(build.Data, 0, 25, build.Targets);
        var json = await (await Server.PostJsonAsync($"/gordo/v0/p/windowed-smm/{route}", body)).JsonAsync(HttpStatusCode.OK);
        var response = await Server.PostJsonAsync($"/gordo/v0/p/windowed-smm/{route}?format=parquet", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(response.Headers.GetValues("revision")));
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        using var reader = ParquetTable.Open(bytes);
        var data = json.GetProperty("data");
        var keys = data.GetProperty("start").GetProperty("start").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(keys.Length, reader.RowCount);
        var names = reader.Columns.Select(l => l.Name).ToList();
        Assert.Equal("('start', '')", names[0]);
        Assert.Equal("('end', '')", names[1]);
        Assert.Equal("__index_level_0__", names[^1]);
        // Every JSON cell is in the file, in the same row; the file has no column the JSON lacks.
        var jsonColumns = 0;
        foreach (var group in data.EnumerateObject())
        {
            foreach (var sub in group.Value.EnumerateObject())
            {
                jsonColumns++;
                var subName = sub.Name == group.Name && group.Name is "start" or "end" || (sub.Name == group.Name && group.Name.StartsWith("total-", StringComparison.Ordinal)) ? string.Empty : sub.Name;
                var column = names.IndexOf($"('{group.Name}', '{subName}')");
                Assert.True(column >= 0, $"No column ({group.Name}, {subName}) in {string.Join(", ", names)}");
                if (group.Name is "start" or "end" && reader.Columns[column].Type == ParquetSharp.PhysicalType.Int32)
                {
                    // All null: pyarrow's null type (INT32 annotated UNKNOWN).
                    Assert.All(sub.Value.EnumerateObject(), p => Assert.Equal(JsonValueKind.Null, p.Value.ValueKind));
                    Assert.Equal(ParquetSharp.LogicalTypeEnum.Nil, reader.Columns[column].Logical.Type);
                    continue;
                }

                if (group.Name is "start" or "end")
                {
                    var strings = reader.ReadStrings(column);
                    Assert.Equal(sub.Value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString()), strings);
                    continue;
                }

                var values = new double[reader.RowCount];
                reader.ReadDoubles(column, values);
                Assert.Equal(sub.Value.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.Null ? double.NaN : p.Value.GetDouble()), values);
            }
        }

        Assert.Equal(jsonColumns + 1, names.Count);
        var index = new long[reader.RowCount];
        reader.ReadInt64s(names.Count - 1, index, new bool[reader.RowCount]);
        Assert.Equal(keys.Select(k => (DateTimeOffset.Parse(k, System.Globalization.CultureInfo.InvariantCulture).UtcTicks - DateTime.UnixEpoch.Ticks) * 100), index);
        var pandas = JsonDocument.Parse(reader.KeyValue("pandas")!).RootElement;
        Assert.Equal(2, pandas.GetProperty("column_indexes").GetArrayLength());
    }

    [Fact]
    public async Task Files_written_by_arrow_rs_are_accepted_as_gordo_clients_send_them()
    {
        var build = Collection.Current("pump-1");
        var directory = Directory.CreateTempSubdirectory("gordo-parquet-route-").FullName;
        JsonObject Spec(string file, string[] tags) => new()
        {
            ["path"] = Path.Combine(directory, file),
            ["writer"] = "arrow",
            ["rows"] = 12,
            ["compression"] = "snappy",
            ["pageVersion"] = 2,
            ["columns"] = new JsonArray([
                .. tags.Select(t => (JsonNode)new JsonObject
                {
                    ["name"] = t,
                    ["type"] = "double",
                    ["values"] = new JsonArray([.. Enumerable.Range(50, 12).Select(r => (JsonNode)build.Data.Values[r, Array.IndexOf(build.Data.Tags, t)])]),
                }),
                new JsonObject
                {
                    ["name"] = "__index_level_0__",
                    ["type"] = "timestamp_ns",
                    ["tz"] = "UTC",
                    ["values"] = new JsonArray([.. Enumerable.Range(50, 12).Select(r => (JsonNode)((build.Data.TimestampsUtc[r].Ticks - DateTime.UnixEpoch.Ticks) * 100).ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                },
            ]),
            ["kv"] = new JsonObject { ["pandas"] = PandasMetadata.ForFrame(tags, "datetimetz") },
        };
        await ParquetInterop.WriteAsync([Spec("X.parquet", build.Data.Tags), Spec("y.parquet", build.Targets)]);
        using var multipart = PandasParquet.Multipart(File.ReadAllBytes(Path.Combine(directory, "X.parquet")), File.ReadAllBytes(Path.Combine(directory, "y.parquet")));
        var parquet = await (await Server.Client.PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", multipart, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        var json = await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 50, 12, build.Targets))).JsonAsync(HttpStatusCode.OK);
        Assert.True(JsonElement.DeepEquals(json.GetProperty("data"), parquet.GetProperty("data")));
    }

    [Fact]
    public async Task Parquet_input_is_validated_as_json_input_is()
    {
        var build = Collection.Current("pump-1");
        var x = PandasParquet.FromDataset(build.Data, 0, 10, build.Data.Tags);
        var y = PandasParquet.FromDataset(build.Data, 0, 10, build.Targets);

        async Task<HttpResponseMessage> PostAsync(string path, HttpContent content) => await Server.Client.PostAsync(path, content, TestContext.Current.CancellationToken);

        using (var onlyY = new MultipartFormDataContent { { new ByteArrayContent(y), "y", "y" } })
        {
            Assert.Equal("Cannot predict without \"X\"", await (await PostAsync("/gordo/v0/p/pump-1/prediction", onlyY)).ErrorAsync(HttpStatusCode.BadRequest, "message"));
        }

        using (var noY = PandasParquet.Multipart(x, null))
        {
            Assert.Equal("Cannot perform anomaly without 'y' to compare against.", await (await PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", noY)).ErrorAsync(HttpStatusCode.BadRequest, "message"));
        }

        using (var corrupt = PandasParquet.Multipart([.. x[..^20], .. new byte[20]], y))
        {
            Assert.StartsWith("Cannot read the Parquet file 'X': ", await (await PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", corrupt)).ErrorAsync(HttpStatusCode.BadRequest));
        }

        using (var wrongColumns = PandasParquet.Multipart(PandasParquet.FromDataset(build.Data, 0, 10, build.Data.Tags[..3]), y))
        {
            Assert.StartsWith("Unexpected features", await (await PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", wrongColumns)).ErrorAsync(HttpStatusCode.BadRequest, "message"));
        }

        using (var missingModel = PandasParquet.Multipart([1, 2, 3], null))
        {
            await (await PostAsync("/gordo/v0/p/no-such-model/prediction", missingModel)).ErrorAsync(HttpStatusCode.NotFound);
        }

        using (var badName = PandasParquet.Multipart(x, y))
        {
            await (await PostAsync("/gordo/v0/p/bad_name/prediction", badName)).ErrorAsync(HttpStatusCode.UnprocessableEntity);
        }

        var noBoundary = new ByteArrayContent(Encoding.ASCII.GetBytes("--x\r\n"));
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        Assert.Contains("boundary", await (await PostAsync("/gordo/v0/p/pump-1/prediction", noBoundary)).ErrorAsync(HttpStatusCode.BadRequest), StringComparison.Ordinal);

        var cut = new ByteArrayContent(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"X\"; filename=\"X\"\r\n\r\nPAR1 and then nothing"));
        cut.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        await (await PostAsync("/gordo/v0/p/pump-1/prediction", cut)).ErrorAsync(HttpStatusCode.BadRequest);

        // format must be exactly "parquet"; anything else means JSON.
        await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/prediction?format=Parquet", GordoPayload.FromDataset(build.Data, 0, 2, build.Targets))).JsonAsync(HttpStatusCode.OK);
    }
}
