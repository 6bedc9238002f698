using System.Net;
using System.Text;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>Bodies over the configured limit get 413 JSON, whether their length is declared or streamed.</summary>
public sealed class RequestLimitTests(TestCollection collection)
{
    [Fact]
    public async Task An_oversized_body_is_413_json_declared_or_chunked()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Api:MaxRequestBytes"] = "4096",
        });
        var build = collection.Current("pump-1");
        var large = GordoPayload.FromDataset(build.Data, 0, 200, build.Targets);
        Assert.True(large.Length > 4096);

        var error = await (await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", large)).ErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4096", error, StringComparison.Ordinal);

        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/gordo/v0/p/pump-1/anomaly/prediction")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(large))),
        };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        await (await server.Client.SendAsync(chunked, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.RequestEntityTooLarge);

        // A body under the limit is served as usual.
        await (await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 3, build.Targets))).JsonAsync(HttpStatusCode.OK);
    }
}
