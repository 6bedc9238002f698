using System.Net;
using System.Text;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.V2;

/// <summary>Triton's repository extension: the index of every target of every revision with its state,
/// load (activates and loads the model's grain now) and unload (deactivates it), behind the admin key
/// when one is configured.</summary>
public sealed class V2RepositoryTests(TestCollection collection) : IAsyncLifetime
{
    private const string Key = "repository-key";
    private GordoServerHost? _server;

    private GordoServerHost Server => _server!;

    public async ValueTask InitializeAsync() =>
        _server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = Key });

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Index_load_and_unload_follow_the_models_grain()
    {
        var index = await IndexAsync();
        var current = Directory.GetDirectories(collection.CurrentDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(current, index.Where(e => e.Version == TestCollection.CurrentRevision).Select(e => e.Name).ToArray());
        Assert.Contains(index, e => e.Version == TestCollection.OldRevision && e.Name == "old-only");
        Assert.All(index, e => Assert.Equal("UNAVAILABLE", e.State));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v2/repository/models/pump-1/load")).StatusCode);
        var loaded = await IndexAsync();
        Assert.Equal("READY", loaded.Single(e => e.Name == "pump-1" && e.Version == TestCollection.CurrentRevision).State);
        Assert.Equal("UNAVAILABLE", loaded.Single(e => e.Name == "pump-1" && e.Version == TestCollection.OldRevision).State);
        var ready = await (await SendAsync(HttpMethod.Post, "/v2/repository/index", """{"ready": true}""")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["pump-1"], ready.EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray());
        var grains = await (await SendAsync(HttpMethod.Get, "/admin/grains")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(grains.GetProperty("grains").EnumerateArray(), g => g.GetProperty("grain").GetString() == $"model/{TestCollection.CurrentRevision}/pump-1");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/v2/repository/models/pump-1/unload")).StatusCode);
        Assert.Equal("UNAVAILABLE", (await IndexAsync()).Single(e => e.Name == "pump-1" && e.Version == TestCollection.CurrentRevision).State);
        Assert.Equal("onnx_onnxv1", (await (await Server.GetAsync("/v2/models/pump-1")).JsonAsync(HttpStatusCode.OK)).GetProperty("platform").GetString());

        await (await SendAsync(HttpMethod.Post, "/v2/repository/models/no-such-model/load")).V2ErrorAsync(HttpStatusCode.NotFound);
        await (await SendAsync(HttpMethod.Post, "/v2/repository/index", "[1]")).V2ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task With_an_admin_secret_the_repository_needs_the_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, "/v2/repository/index", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/v2/repository/models/pump-1/unload", key: "wrong")).StatusCode);
        // Inference and metadata stay open.
        Assert.Equal(HttpStatusCode.OK, (await Server.GetAsync("/v2/models/pump-1/ready")).StatusCode);
    }

    private async Task<(string Name, string Version, string State)[]> IndexAsync()
    {
        var json = await (await SendAsync(HttpMethod.Post, "/v2/repository/index")).JsonAsync(HttpStatusCode.OK);
        return [.. json.EnumerateArray().Select(e => (e.GetProperty("name").GetString()!, e.GetProperty("version").GetString()!, e.GetProperty("state").GetString()!))];
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null, string? key = Key)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        return Server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
