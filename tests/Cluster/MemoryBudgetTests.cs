using System.Globalization;
using System.Net;
using Gordo.Grains.Models;
using Gordo.Grains.Activations;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Cluster;

/// <summary>A silo keeps its loaded models under its memory budget by deactivating the least recently
/// used ones, and every request still succeeds; idle collection keeps working beside it.</summary>
public sealed class MemoryBudgetTests(TestCollection collection)
{
    [Fact]
    public async Task Two_hundred_targets_round_robin_stay_under_a_budget_for_twenty()
    {
        var root = collection.CopyTo("budget");
        try
        {
            var targets = ClusterTests.ManyTargets(root, 200);
            var modelBytes = new FileInfo(Path.Combine(root, TestCollection.CurrentRevision, "single-tag", "model.onnx")).Length;
            var perModel = (2 * modelBytes) + (256 * 1024);
            var budget = 20 * perModel;
            await using var server = await GordoServerHost.StartAsync(Path.Combine(root, TestCollection.CurrentRevision), new Dictionary<string, string?>
            {
                ["Gordo:Silo:MemoryBudgetBytes"] = budget.ToString(CultureInfo.InvariantCulture),
                ["Gordo:Grains:CollectionAge"] = "00:00:02",
                ["Gordo:Grains:CollectionQuantum"] = "00:00:00.200",
            });
            var catalog = server.Get<ModelActivations>();
            var instruments = server.Get<ModelGrainInstruments>();
            long peak = 0;
            for (var round = 0; round < 2; round++)
            {
                foreach (var target in targets)
                {
                    await (await server.PostJsonAsync($"/gordo/v0/p/{target}/prediction", "{\"X\": [[100.0], [101.5], [99.0]]}")).JsonAsync(HttpStatusCode.OK);
                    var loaded = instruments.LoadedBytes;
                    peak = Math.Max(peak, loaded);
                    Assert.True(catalog.MemoryBytes <= budget, $"{catalog.MemoryBytes} bytes held against a budget of {budget} after {target}");
                    Assert.True(loaded <= budget, $"{loaded} model bytes loaded against a budget of {budget} after {target}");
                }
            }

            Assert.True(peak > budget / 2, $"The budget was never approached (peak {peak} of {budget}).");
            Assert.Equal(400, instruments.LoadCount); // round robin over 200 with room for 20: every request loads
            Assert.InRange(catalog.Count, 1, 25);

            // Idle collection still works next to the budget.
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (catalog.Count > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{catalog.Count} activations were not collected.");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
