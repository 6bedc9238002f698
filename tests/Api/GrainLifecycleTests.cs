using System.Net;
using Gordo.GrainInterfaces;
using Gordo.Grains.Models;
using Gordo.Grains.Activations;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>Model grains over HTTP: one load for many concurrent first requests, idle collection, reload.</summary>
public sealed class GrainLifecycleTests(TestCollection collection)
{
    [Fact]
    public async Task Concurrent_first_requests_for_a_cold_target_load_it_once()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        var instruments = server.Get<ModelGrainInstruments>();
        var build = collection.Current("windowed-smm");
        var body = GordoPayload.FromDataset(build.Data, 0, 20, build.Targets);
        Assert.Equal(0, instruments.LoadCount);

        var responses = await Task.WhenAll(Enumerable.Range(0, 48).Select(_ =>
            Task.Run(() => server.PostJsonAsync("/gordo/v0/p/windowed-smm/anomaly/prediction", body), TestContext.Current.CancellationToken)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, instruments.LoadCount);
        var activation = Assert.Single(server.Get<ModelActivations>().Snapshot());
        Assert.Equal($"{TestCollection.CurrentRevision}/windowed-smm", activation.Key);
        Assert.Equal(48, activation.Calls);

        // The revision named explicitly is the same grain (gordo loaded it a second time).
        var explicitRevision = await server.PostJsonAsync($"/gordo/v0/p/windowed-smm/anomaly/prediction?revision={TestCollection.CurrentRevision}", body);
        Assert.Equal(HttpStatusCode.OK, explicitRevision.StatusCode);
        Assert.Equal(1, instruments.LoadCount);
    }

    [Fact]
    public async Task An_idle_grain_is_collected_and_the_next_request_reloads_it()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Grains:CollectionAge"] = "00:00:00.400",
            ["Gordo:Grains:CollectionQuantum"] = "00:00:00.100",
        });
        var instruments = server.Get<ModelGrainInstruments>();
        var catalog = server.Get<ModelActivations>();
        var build = collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 5, build.Targets);

        await (await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, instruments.LoadCount);
        Assert.Equal(1, catalog.Count);
        Assert.True(instruments.LoadedBytes > 0);

        await WaitUntilAsync(() => catalog.Count == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, instruments.LoadedBytes);

        await (await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, instruments.LoadCount);
        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public async Task A_grain_in_use_is_not_collected()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?>
        {
            ["Gordo:Grains:CollectionAge"] = "00:00:02",
            ["Gordo:Grains:CollectionQuantum"] = "00:00:00.100",
        });
        var instruments = server.Get<ModelGrainInstruments>();
        var build = collection.Current("pump-1");
        var body = GordoPayload.FromDataset(build.Data, 0, 5, build.Targets);
        var until = DateTime.UtcNow.AddSeconds(3.5);
        while (DateTime.UtcNow < until)
        {
            await (await server.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", body)).JsonAsync(HttpStatusCode.OK);
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.Equal(1, instruments.LoadCount);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
