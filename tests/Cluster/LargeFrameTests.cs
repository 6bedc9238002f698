using System.Net;
using Gordo.Grains.Activations;
using Gordo.ModelBuilder.Data;
using Gordo.ModelBuilder.Output;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>
/// Frames between silos: a 100 000 x 20 anomaly request entered through the silo that does not own the
/// model crosses to the owner and back (one byte array per frame), and answers exactly as the owner does.
/// They run alone: frames this size keep both cores busy, which would starve other clusters' probes.
/// </summary>
[Collection(IsolatedCollection.Name)]
public sealed class LargeFrameTests(TestCollection collection)
{
    [Fact]
    public async Task A_100_000_by_20_anomaly_request_crosses_between_silos_and_answers_as_the_owner_does()
    {
        var root = collection.CopyTo("wide");
        try
        {
            var revision = Path.Combine(root, TestCollection.CurrentRevision);
            var build = ModelTrainer.Build(new ModelBuildSpec { Name = "wide-20", Tags = 20, Seed = 29, Rows = 1200 }, revision);
            var data = SyntheticSensorData.Generate(31, build.Tags, 100_000, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(10));
            var x = PandasParquet.FromDataset(data, 0, 100_000, build.Tags);
            var y = PandasParquet.FromDataset(data, 0, 100_000, build.Targets);

            await using var cluster = await ClusterHarness.StartAsync(revision);
            var silos = new[] { await cluster.StartSiloAsync("silo-a"), await cluster.StartSiloAsync("silo-b") };
            foreach (var silo in silos)
            {
                await ClusterHarness.WaitForActiveSilosAsync(silo, 2);
            }

            await (await silos[0].GetAsync("/gordo/v0/p/wide-20/metadata")).JsonAsync(HttpStatusCode.OK);
            var owner = silos.Single(s => s.Get<ModelActivations>().Count == 1);
            var entry = silos.Single(s => s != owner);

            var remote = await PostAsync(entry, x, y);
            var local = await PostAsync(owner, x, y);
            Assert.Equal(HttpStatusCode.OK, remote.Status);
            Assert.Equal(HttpStatusCode.OK, local.Status);
            Assert.True(remote.Body.Length > 100_000 * 20 * 8, $"The answer is {remote.Body.Length} bytes.");
            Assert.Equal(local.Body, remote.Body);
            Assert.Equal(0, entry.Get<ModelActivations>().Count);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Frames_over_the_cluster_message_limit_are_a_413_and_the_silos_keep_serving()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var limit = new Dictionary<string, string?> { ["Gordo:Cluster:MaxMessageBytes"] = (2 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var silos = new[] { await cluster.StartSiloAsync("silo-a", limit), await cluster.StartSiloAsync("silo-b", limit) };
        var gateway = await cluster.StartGatewayAsync(limit);
        await ClusterHarness.WaitForActiveSilosAsync(gateway, 2);
        var build = collection.Current("pump-1");
        var small = GordoPayload.FromDataset(build.Data, 0, 10, build.Targets);
        var data = SyntheticSensorData.Generate(32, build.Tags, 30_000, new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(10));
        using var large = PandasParquet.Multipart(PandasParquet.FromDataset(data, 0, 30_000, build.Tags), PandasParquet.FromDataset(data, 0, 30_000, build.Targets));

        var calls = Enumerable.Range(0, 8).Select(_ => gateway.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", small)).ToList();
        var refused = await gateway.Client.PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", large, TestContext.Current.CancellationToken);
        var error = await refused.ErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("message limit of 2097152 bytes", error, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(calls), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var entry in silos.Append(gateway))
        {
            await (await entry.PostJsonAsync("/gordo/v0/p/pump-1/anomaly/prediction", small)).JsonAsync(HttpStatusCode.OK);
        }
    }

    private static async Task<(HttpStatusCode Status, byte[] Body)> PostAsync(GordoServerHost host, byte[] x, byte[] y)
    {
        using var content = PandasParquet.Multipart(x, y);
        var response = await host.Client.PostAsync("/gordo/v0/p/wide-20/anomaly/prediction?format=parquet", content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
