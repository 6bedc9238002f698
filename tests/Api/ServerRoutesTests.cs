using System.Net;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>The routes outside a model: /healthcheck, /server-version, models, revisions, expected-models,
/// unknown routes and methods, trailing slashes, and the headers every response carries.</summary>
public sealed class ServerRoutesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private GordoServerHost Server => fixture.Server;

    [Fact]
    public async Task Healthcheck_is_empty_html_with_gordo_headers()
    {
        var response = await Server.GetAsync("/healthcheck");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(response.Headers.GetValues("revision")));
        var timing = Assert.Single(response.Headers.GetValues("Server-Timing"));
        Assert.Matches(@"^request_walltime_s;dur=\d+(\.\d+)?$", timing);
    }

    [Fact]
    public async Task Healthcheck_still_passes_through_the_revision_hook()
    {
        var error = await (await Server.GetAsync("/healthcheck?revision=abc")).ErrorAsync(HttpStatusCode.Gone);
        Assert.Equal("Revision should only contains numbers.", error);
    }

    [Fact]
    public async Task Server_version_names_version_and_revision()
    {
        var json = await (await Server.GetAsync("/server-version")).JsonAsync(HttpStatusCode.OK);
        Assert.Matches(@"^\d+\.\d+\.\d+$", json.GetProperty("version").GetString());
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task Models_lists_the_revision_directory()
    {
        var json = await (await Server.GetAsync("/gordo/v0/any-project/models")).JsonAsync(HttpStatusCode.OK);
        var models = json.GetProperty("models").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("pump-1", models);
        Assert.Contains("windowed-smm", models);
        Assert.DoesNotContain("old-only", models);
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task Revision_query_selects_an_older_revision()
    {
        var json = await (await Server.GetAsync($"/gordo/v0/p/models?revision={TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["old-only", "pump-1"], json.GetProperty("models").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(TestCollection.OldRevision, json.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task Revision_header_selects_an_older_revision_and_the_query_wins_over_it()
    {
        using var byHeader = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/models");
        byHeader.Headers.Add("revision", TestCollection.OldRevision);
        var response = await Server.Client.SendAsync(byHeader, TestContext.Current.CancellationToken);
        var json = await response.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.OldRevision, json.GetProperty("revision").GetString());
        Assert.Equal(TestCollection.OldRevision, Assert.Single(response.Headers.GetValues("revision")));

        using var both = new HttpRequestMessage(HttpMethod.Get, $"/gordo/v0/p/models?revision={TestCollection.CurrentRevision}");
        both.Headers.Add("revision", TestCollection.OldRevision);
        json = await (await Server.Client.SendAsync(both, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("revision").GetString());

        // An empty query value falls through to the header, as request.args.get(...) or headers.get(...) does.
        using var emptyQuery = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/models?revision=");
        emptyQuery.Headers.Add("revision", TestCollection.OldRevision);
        json = await (await Server.Client.SendAsync(emptyQuery, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.OldRevision, json.GetProperty("revision").GetString());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("%D9%A3")]
    [InlineData("1%0A")]
    public async Task A_revision_that_is_not_all_ascii_digits_is_410(string revision)
    {
        var error = await (await Server.GetAsync($"/gordo/v0/p/models?revision={revision}")).ErrorAsync(HttpStatusCode.Gone);
        Assert.Equal("Revision should only contains numbers.", error);
    }

    [Fact]
    public async Task A_missing_revision_is_410_by_query_and_by_header()
    {
        var error = await (await Server.GetAsync("/gordo/v0/p/models?revision=123")).ErrorAsync(HttpStatusCode.Gone);
        Assert.Equal("Revision '123' not found.", error);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/pump-1/metadata");
        request.Headers.Add("revision", "999");
        error = await (await Server.Client.SendAsync(request, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.Gone);
        Assert.Equal("Revision '999' not found.", error);
    }

    [Fact]
    public async Task Revisions_names_latest_and_every_sibling()
    {
        var json = await (await Server.GetAsync("/gordo/v0/p/revisions")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("latest").GetString());
        Assert.Equal([TestCollection.OldRevision, TestCollection.CurrentRevision],
            json.GetProperty("available-revisions").EnumerateArray().Select(e => e.GetString()!).ToArray());
        json = await (await Server.GetAsync($"/gordo/v0/p/revisions?revision={TestCollection.OldRevision}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestCollection.CurrentRevision, json.GetProperty("latest").GetString());
        Assert.Equal(TestCollection.OldRevision, json.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task Expected_models_parses_the_yaml_list_with_its_trailing_comma()
    {
        var json = await (await Server.GetAsync("/gordo/v0/p/expected-models")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["pump-1", "windowed-smm"], json.GetProperty("expected-models").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/gordo/v0/p")]
    [InlineData("/gordo/v0/p/pump-1/unknown")]
    [InlineData("/gordo/v1/p/models")]
    public async Task Unknown_routes_are_404_json(string path)
    {
        var error = await (await Server.GetAsync(path)).ErrorAsync(HttpStatusCode.NotFound);
        Assert.Contains("Not found", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/gordo/v0/p/pump-1/prediction")]
    [InlineData("GET", "/gordo/v0/p/pump-1/anomaly/prediction")]
    [InlineData("POST", "/gordo/v0/p/pump-1/metadata")]
    [InlineData("PUT", "/gordo/v0/p/models")]
    [InlineData("POST", "/healthcheck")]
    [InlineData("GET", "/gordo/v0/p/pump-1/revision/1700000000000")]
    public async Task Wrong_methods_are_405_json(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        var error = await (await Server.Client.SendAsync(request, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains(method, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/healthcheck/")]
    [InlineData("/server-version/")]
    [InlineData("/gordo/v0/p/models/")]
    [InlineData("/gordo/v0/p/revisions/")]
    [InlineData("/gordo/v0/p/expected-models/")]
    [InlineData("/gordo/v0/p/pump-1/metadata/")]
    [InlineData("/gordo/v0/p/pump-1/healthcheck/")]
    [InlineData("/gordo/v0/p/pump-1/download-model/")]
    public async Task Trailing_slashes_are_accepted(string path)
    {
        var response = await Server.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
