using System.Net;
using System.Text.Json.Nodes;
using Gordo.Grains.Activations;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Micro-batching (Gordo:Batching): concurrent requests to one model are merged into fewer ONNX Runtime
/// calls, and every response is the one the same request gets with batching off; a model with a
/// look-back window is detected and runs its requests one by one.
/// </summary>
public sealed class MicroBatchingTests(TestCollection collection)
{
    private static readonly Dictionary<string, string?> s_batching = new()
    {
        ["Gordo:Batching:Enabled"] = "true",
        ["Gordo:Batching:MaxWaitMilliseconds"] = "30",
        ["Gordo:Batching:MaxBatchRows"] = "4096",
    };

    [Theory]
    [InlineData("pump-1")] // float32 input
    [InlineData("windowed-ewma")] // float64 input
    public async Task Merged_requests_get_the_answers_they_get_alone(string target)
    {
        await using var batched = await GordoServerHost.StartAsync(collection.CurrentDirectory, s_batching);
        await using var plain = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        var build = collection.Current(target);
        // Different windows and sizes, so each caller must get its own rows back.
        var bodies = Enumerable.Range(0, 24).Select(i => GordoPayload.FromDataset(build.Data, i * 7, 5 + (i % 6), build.Targets)).ToArray();
        var path = $"/gordo/v0/p/{target}/anomaly/prediction";

        var merged = await Task.WhenAll(bodies.Select(body => Task.Run(() => batched.PostJsonAsync(path, body), TestContext.Current.CancellationToken)));
        var details = Assert.Single(batched.Get<ModelActivations>().Snapshot()).Details!;
        Assert.Equal("24", details["batchedRuns"]);
        Assert.True(long.Parse(details["onnxCalls"], System.Globalization.CultureInfo.InvariantCulture) < 24, $"{details["onnxCalls"]} ONNX calls for 24 requests");
        Assert.Equal("true", details["rowWise"]);

        for (var i = 0; i < bodies.Length; i++)
        {
            var alone = await plain.PostJsonAsync(path, bodies[i]);
            Assert.Equal(await Comparable(alone), await Comparable(merged[i]));
        }
    }

    [Fact]
    public async Task A_model_with_a_look_back_window_is_not_merged()
    {
        await using var batched = await GordoServerHost.StartAsync(collection.CurrentDirectory, s_batching);
        await using var plain = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        var build = collection.Current("lookback-3");
        var bodies = Enumerable.Range(0, 12).Select(i => GordoPayload.FromDataset(build.Data, i * 5, 8 + i, build.Targets)).ToArray();
        var path = "/gordo/v0/p/lookback-3/anomaly/prediction";

        var responses = await Task.WhenAll(bodies.Select(body => Task.Run(() => batched.PostJsonAsync(path, body), TestContext.Current.CancellationToken)));
        Assert.Equal("false", Assert.Single(batched.Get<ModelActivations>().Snapshot()).Details!["rowWise"]);
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(await Comparable(await plain.PostJsonAsync(path, bodies[i])), await Comparable(responses[i]));
        }
    }

    /// <summary>The response without its timing, which differs from run to run.</summary>
    private static async Task<string> Comparable(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
        json.Remove("time-seconds");
        return json.ToJsonString();
    }
}
