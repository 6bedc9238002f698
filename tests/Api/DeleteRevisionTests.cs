using System.Net;
using Gordo.GrainInterfaces;
using Gordo.Grains.Activations;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>gordo's DELETE rules, in order, on a private copy of the collection.</summary>
public sealed class DeleteRevisionTests(TestCollection collection) : IAsyncLifetime
{
    private string _root = string.Empty;
    private GordoServerHost? _server;

    private GordoServerHost Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _root = collection.CopyTo("delete");
        _server = await GordoServerHost.StartAsync(Path.Combine(_root, TestCollection.CurrentRevision));
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<HttpResponseMessage> DeleteAsync(string path) => Server.Client.DeleteAsync(path, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData("-1")]
    public async Task A_revision_that_is_not_digits_is_422(string revision)
    {
        var error = await (await DeleteAsync($"/gordo/v0/p/pump-1/revision/{revision}")).ErrorAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Revision should only contains numbers.", error);
    }

    [Fact]
    public async Task The_current_revision_is_409()
    {
        var error = await (await DeleteAsync($"/gordo/v0/p/pump-1/revision/{TestCollection.CurrentRevision}")).ErrorAsync(HttpStatusCode.Conflict);
        Assert.Equal("Unable to delete current revision.", error);
        Assert.True(File.Exists(Path.Combine(_root, TestCollection.CurrentRevision, "pump-1", "metadata.json")));
    }

    [Fact]
    public async Task A_model_not_in_the_revision_is_404_and_a_bad_name_422()
    {
        await (await DeleteAsync($"/gordo/v0/p/windowed-smm/revision/{TestCollection.OldRevision}")).ErrorAsync(HttpStatusCode.NotFound);
        await (await DeleteAsync("/gordo/v0/p/pump-1/revision/42")).ErrorAsync(HttpStatusCode.NotFound);
        await (await DeleteAsync($"/gordo/v0/p/pump_1/revision/{TestCollection.OldRevision}")).ErrorAsync(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Deleting_removes_the_model_then_the_emptied_revision_and_evicts_its_grain()
    {
        var old = Path.Combine(_root, TestCollection.OldRevision);

        // Activate the old model's grain first, so that deleting must evict it.
        await (await Server.GetAsync($"/gordo/v0/p/pump-1/metadata?revision={TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        var catalog = Server.Get<ModelActivations>();
        var key = new ModelKey(TestCollection.OldRevision, "pump-1").ToString();
        Assert.Contains(catalog.Snapshot(), a => a.Key == key);

        var json = await (await DeleteAsync($"/gordo/v0/p/pump-1/revision/{TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("revision").GetString());
        Assert.False(Directory.Exists(Path.Combine(old, "pump-1")));
        Assert.True(Directory.Exists(old));
        Assert.DoesNotContain(catalog.Snapshot(), a => a.Key == key);
        await (await Server.GetAsync($"/gordo/v0/p/pump-1/metadata?revision={TestCollection.OldRevision}")).ErrorAsync(HttpStatusCode.NotFound);

        // The last model of the revision takes the revision directory with it.
        await (await DeleteAsync($"/gordo/v0/p/old-only/revision/{TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(Directory.Exists(old));
        await (await Server.GetAsync($"/gordo/v0/p/models?revision={TestCollection.OldRevision}")).ErrorAsync(HttpStatusCode.Gone);
        Assert.True(File.Exists(Path.Combine(_root, TestCollection.CurrentRevision, "pump-1", "model.onnx")));
    }
}
