using System.Net;
using System.Text;
using System.Text.Json;
using Gordo.Api.Http;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Admission by size (<c>Gordo:Api:MaxFrameBytesInFlight</c>) and streamed answers: large requests
/// take turns or get a 503 with Retry-After, a small one is answered meanwhile, and an answer streamed
/// as it is encoded is the same bytes as one built whole.
/// </summary>
public sealed class FrameAdmissionTests(TestCollection collection)
{
    [Fact]
    public async Task Large_requests_take_turns_while_a_small_one_is_answered_meanwhile()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Api:MaxFrameBytesInFlight"] = (8 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gordo:Api:FrameAdmissionTimeout"] = "00:01:00",
        });
        var budget = server.Get<FrameBudget>();
        var build = collection.Current("pump-1");
        var large = GordoPayload.FromDataset(build.Data, 0, 1200, build.Targets);
        var small = GordoPayload.FromDataset(build.Data, 0, 5, build.Targets);
        Assert.InRange(FrameBudget.Estimate(Encoding.UTF8.GetByteCount(large), parquet: false), 3L << 20, 6L << 20); // two do not fit in the large lane (6 MiB)
        Assert.True(FrameBudget.Estimate(Encoding.UTF8.GetByteCount(small), parquet: false) <= budget.SmallLimit);

        // Hold the large lane, so the large requests must queue.
        var hold = await budget.AcquireAsync(budget.Capacity, TestContext.Current.CancellationToken);
        var larges = Enumerable.Range(0, 4).Select(_ => server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", large)).ToArray();
        await WaitUntilAsync(() => budget.Waiting == 4);

        var answer = await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", small);
        await answer.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, budget.Waiting); // the small one passed them all
        Assert.All(larges, t => Assert.False(t.IsCompleted));

        // Released, they are admitted one at a time: never two large ones in flight.
        var maxInFlight = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                maxInFlight = Math.Max(maxInFlight, budget.InFlight);
                await Task.Delay(1, CancellationToken.None);
            }
        }, TestContext.Current.CancellationToken);
        hold.Dispose();
        foreach (var response in await Task.WhenAll(larges))
        {
            await response.JsonAsync(HttpStatusCode.OK);
        }

        await sampling.CancelAsync();
        await sampler;
        Assert.InRange(maxInFlight, 1, 6L << 20);
        // The server gives a lease back after the last byte of its answer is written, which can be just
        // after the client has read it: wait for the release, then check that nothing is held.
        await WaitUntilAsync(() => budget.InFlight == 0);
        Assert.Equal(0, budget.InFlight);
    }

    [Fact]
    public async Task A_request_that_finds_no_room_within_the_timeout_is_a_503_with_retry_after()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Api:MaxFrameBytesInFlight"] = (8 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Gordo:Api:FrameAdmissionTimeout"] = "00:00:00.3",
        });
        var budget = server.Get<FrameBudget>();
        var build = collection.Current("pump-1");
        using (await budget.AcquireAsync(budget.Capacity, TestContext.Current.CancellationToken))
        {
            var busy = await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 1200, build.Targets));
            var error = await busy.ErrorAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("busy", error, StringComparison.Ordinal);
            Assert.Equal("5", Assert.Single(busy.Headers.GetValues("Retry-After")));

            // Small requests have their own lane.
            await (await server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", GordoPayload.FromDataset(build.Data, 0, 5, build.Targets))).JsonAsync(HttpStatusCode.OK);
            Assert.Equal(0, budget.Waiting);
        }

        await (await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", GordoPayload.FromDataset(build.Data, 0, 1200, build.Targets))).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("prediction", "")]
    [InlineData("anomaly/prediction", "?all_columns")]
    [InlineData("anomaly/prediction", "?format=parquet")]
    public async Task A_streamed_answer_is_the_same_as_one_built_whole(string route, string query)
    {
        await using var buffered = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        await using var streamed = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:StreamResponsesAboveBytes"] = "0" });
        var build = collection.Current("windowed-smm");
        var body = GordoPayload.FromDataset(build.Data, 0, 800, build.Targets);
        var whole = await buffered.PostJsonAsync($"/gordo/v0/p/windowed-smm/{route}{query}", body);
        var stream = await streamed.PostJsonAsync($"/gordo/v0/p/windowed-smm/{route}{query}", body);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.True(stream.Headers.TransferEncodingChunked);
        Assert.NotEqual(true, whole.Headers.TransferEncodingChunked);
        Assert.Equal(whole.Content.Headers.ContentType?.ToString(), stream.Content.Headers.ContentType?.ToString());
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(stream.Headers.GetValues("revision")));
        var expected = await whole.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var actual = await stream.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        if (route == "prediction" || query.Contains("parquet", StringComparison.Ordinal))
        {
            Assert.Equal(expected, actual); // no time-seconds: byte for byte
        }
        else
        {
            using var a = JsonDocument.Parse(expected);
            using var b = JsonDocument.Parse(actual);
            Assert.True(JsonElement.DeepEquals(a.RootElement.GetProperty("data"), b.RootElement.GetProperty("data")));
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the budget to reach the expected state.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
