using System.Net;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Each broken target answers a JSON error that names it and says what is wrong, on the routes that
/// need the broken part, while a healthy target keeps serving between the failures.
/// </summary>
public sealed class MalformedModelTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private GordoServerHost Server => fixture.Server;

    [Theory]
    [InlineData(MalformedModels.BadJson, "metadata", "metadata.json is not valid JSON")]
    [InlineData(MalformedModels.BadJson, "anomaly", "metadata.json is not valid JSON")]
    [InlineData(MalformedModels.CorruptOnnx, "prediction", "ONNX Runtime cannot load model.onnx")]
    [InlineData(MalformedModels.CorruptOnnx, "anomaly", "ONNX Runtime cannot load model.onnx")]
    [InlineData(MalformedModels.WrongShape, "prediction", "model.onnx takes 5 columns but metadata.json lists 6 tags")]
    [InlineData(MalformedModels.BadAnomalySpec, "anomaly", "gordo.anomaly kind 'ddff' is not supported")]
    [InlineData(MalformedModels.NoTagList, "prediction", "no dataset.tag_list")]
    public async Task A_broken_target_answers_a_clear_error_and_others_keep_serving(string target, string route, string reason)
    {
        var pump = fixture.Collection.Current("pump-1");
        var body = GordoPayload.FromDataset(pump.Data, 0, 3, pump.Targets);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = route == "metadata"
                ? await Server.GetAsync($"/gordo/v0/p/{target}/metadata")
                : await Server.PostJsonAsync($"/gordo/v0/p/{target}/{(route == "anomaly" ? "anomaly/prediction" : "prediction")}", body);
            var error = await response.ErrorAsync(HttpStatusCode.InternalServerError);
            Assert.Contains($"'{target}'", error, StringComparison.Ordinal);
            Assert.Contains(reason, error, StringComparison.Ordinal);

            await (await Server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task A_bad_gordo_anomaly_value_still_serves_plain_predictions()
    {
        var pump = fixture.Collection.Current("pump-1");
        await (await Server.PostJsonAsync($"/gordo/v0/p/{MalformedModels.BadAnomalySpec}/prediction", GordoPayload.FromDataset(pump.Data, 0, 3, null))).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(MalformedModels.CorruptOnnx)]
    [InlineData(MalformedModels.NoTagList)]
    public async Task Metadata_answers_when_only_the_model_is_broken(string target) =>
        await (await Server.GetAsync($"/gordo/v0/p/{target}/metadata")).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task A_target_without_model_onnx_is_404_on_the_model_routes()
    {
        var pump = fixture.Collection.Current("pump-1");
        var error = await (await Server.PostJsonAsync($"/gordo/v0/p/{MalformedModels.NoModelFile}/prediction", GordoPayload.FromDataset(pump.Data, 0, 2, null))).ErrorAsync(HttpStatusCode.NotFound);
        Assert.Contains("model.onnx", error, StringComparison.Ordinal);
        await (await Server.GetAsync($"/gordo/v0/p/{MalformedModels.NoModelFile}/download-model")).ErrorAsync(HttpStatusCode.NotFound);
        await (await Server.GetAsync($"/gordo/v0/p/{MalformedModels.NoModelFile}/metadata")).JsonAsync(HttpStatusCode.OK);
    }
}
