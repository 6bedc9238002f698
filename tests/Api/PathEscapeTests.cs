using System.Net;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Names and revisions that try to leave the collection directory: each gets a 4xx JSON answer, and
/// a sentinel file beside the collection survives every attempt (including DELETE).
/// </summary>
public sealed class PathEscapeTests(PathEscapeTests.Fixture fixture) : IClassFixture<PathEscapeTests.Fixture>
{
    private string Root => fixture.Root;

    private string Sentinel => fixture.Sentinel;

    private GordoServerHost Server => fixture.Server;

    /// <summary>A private copy of the collection, and a "model" beside it that no request may reach.</summary>
    public sealed class Fixture(TestCollection collection) : IAsyncLifetime
    {
        private GordoServerHost? _server;

        public string Root { get; private set; } = string.Empty;

        public string Sentinel { get; private set; } = string.Empty;

        public GordoServerHost Server => _server!;

        public async ValueTask InitializeAsync()
        {
            Root = collection.CopyTo("escape");
            var outside = Root + "-outside";
            Directory.CreateDirectory(Path.Combine(outside, "victim"));
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, TestCollection.CurrentRevision, "pump-1")))
            {
                File.Copy(file, Path.Combine(outside, "victim", Path.GetFileName(file)));
            }

            Sentinel = Path.Combine(outside, "victim", "metadata.json");
            _server = await GordoServerHost.StartAsync(Path.Combine(Root, TestCollection.CurrentRevision));
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            Directory.Delete(Root, recursive: true);
            Directory.Delete(Root + "-outside", recursive: true);
        }
    }

    public static TheoryData<string> EscapingNames =>
    [
        "..",
        "%2e%2e",
        "..%2F..",
        "..%2f" + "victim",
        "%2E%2E%2F%2E%2E%2Fvictim",
        "pump-1%2F..%2F..%2Fvictim",
        "pump-1%00",
        "%5C..%5Cvictim",
        "victim%2F",
        "~root",
        "pump-1.onnx",
        new string('a', 300),
        "%C3%A6%C3%B8%C3%A5",
    ];

    [Theory]
    [MemberData(nameof(EscapingNames))]
    public async Task Model_routes_refuse_escaping_names(string name)
    {
        foreach (var route in new[] { "metadata", "healthcheck", "download-model" })
        {
            var response = await Server.GetAsync($"/gordo/v0/p/{name}/{route}");
            await AssertRefusedAsync(response);
        }

        await AssertRefusedAsync(await Server.PostJsonAsync($"/gordo/v0/p/{name}/prediction", "{\"X\": [[1]]}"));
        await AssertRefusedAsync(await Server.Client.DeleteAsync($"/gordo/v0/p/{name}/revision/{TestCollection.OldRevision}", TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Sentinel));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("..%2F..")]
    [InlineData("1700000000000%2F..")]
    [InlineData("%2e%2e")]
    public async Task Delete_refuses_escaping_revisions(string revision)
    {
        await AssertRefusedAsync(await Server.Client.DeleteAsync($"/gordo/v0/p/pump-1/revision/{revision}", TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Sentinel));
        Assert.True(File.Exists(Path.Combine(Root, TestCollection.OldRevision, "pump-1", "metadata.json")));
    }

    [Theory]
    [InlineData("../1700000000000")]
    [InlineData("..")]
    [InlineData("1700000000000/../..")]
    [InlineData("%2e%2e")]
    public async Task Revision_query_and_header_refuse_paths(string revision)
    {
        var error = await (await Server.GetAsync($"/gordo/v0/p/models?revision={Uri.EscapeDataString(revision)}")).ErrorAsync(HttpStatusCode.Gone);
        Assert.Equal("Revision should only contains numbers.", error);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/pump-1/metadata");
        request.Headers.TryAddWithoutValidation("revision", revision);
        await (await Server.Client.SendAsync(request, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.Gone);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(code is >= 400 and < 500, $"Expected a 4xx, got {code}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
    }
}
