using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// What the unmodified gordo client (gordo-client 6.3.0, gordo-core 0.3.6) relies on beyond the route
/// table: a download it can unpickle, 410 bodies that echo the requested revision, data providers
/// gordo-core can construct, and its Parquet request framing.
/// </summary>
public sealed class GordoClientCompatibilityTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Unpickles stdin with an Unpickler that refuses every import (find_class), and prints the
    /// object's type, its SHA-256 and the pickle's opcodes.</summary>
    private const string UnpickleScript = """
        import hashlib, io, pickle, pickletools, sys
        class NoImports(pickle.Unpickler):
            def find_class(self, module, name):
                raise pickle.UnpicklingError(f"the pickle imports {module}.{name}")
        data = sys.stdin.buffer.read()
        obj = NoImports(io.BytesIO(data)).load()
        assert pickle.loads(data) == obj
        ops = ",".join(op.name for op, _, _ in pickletools.genops(data))
        print(type(obj).__name__, hashlib.sha256(obj).hexdigest(), ops)
        """;

    private GordoServerHost Server => fixture.Server;

    private TestCollection Collection => fixture.Collection;

    [Theory]
    [InlineData("")]
    [InlineData("?format=pickle")]
    public async Task Download_model_is_a_pickle_of_the_onnx_bytes_that_imports_nothing(string query)
    {
        var response = await Server.GetAsync($"/gordo/v0/p/pump-1/download-model{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("inline; filename=model.pickle", response.Content.Headers.ContentDisposition?.ToString());
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        var onnx = await File.ReadAllBytesAsync(Path.Combine(Collection.CurrentDirectory, "pump-1", "model.onnx"), TestContext.Current.CancellationToken);

        var unpickled = await SystemPython.RunAsync(UnpickleScript, body);
        Assert.Equal($"bytes {Convert.ToHexStringLower(SHA256.HashData(onnx))} PROTO,BINBYTES,STOP", unpickled);
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(response.Headers.GetValues("revision")));
    }

    [Fact]
    public async Task Download_model_of_an_older_revision_pickles_that_revisions_model()
    {
        var response = await Server.GetAsync($"/gordo/v0/p/old-only/download-model?revision={TestCollection.OldRevision}");
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var onnx = await File.ReadAllBytesAsync(Path.Combine(Collection.Root, TestCollection.OldRevision, "old-only", "model.onnx"), TestContext.Current.CancellationToken);
        Assert.StartsWith("bytes " + Convert.ToHexStringLower(SHA256.HashData(onnx)), await SystemPython.RunAsync(UnpickleScript, body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_download_format_is_a_400()
    {
        var error = await (await Server.GetAsync("/gordo/v0/p/pump-1/download-model?format=zip")).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("zip", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Models_over_4_GiB_are_pickled_with_protocol_4_binbytes8()
    {
        Assert.Equal([0x80, 3, (byte)'B', 0x10, 0, 0, 0], Gordo.Api.Gordo.ModelPickle.Header(16));
        Assert.Equal([0x80, 4, 0x8e, 0, 0, 0, 0, 1, 0, 0, 0], Gordo.Api.Gordo.ModelPickle.Header(1L << 32));
        Assert.Equal([(byte)'.'], Gordo.Api.Gordo.ModelPickle.Trailer.ToArray());
    }

    /// <summary>gordo's <c>test_models_by_revision_list_view</c> and <c>test_request_specific_revision</c>.</summary>
    [Theory]
    [InlineData("/gordo/v0/p/models")]
    [InlineData("/gordo/v0/p/revisions")]
    [InlineData("/gordo/v0/p/expected-models")]
    [InlineData("/gordo/v0/p/pump-1/metadata")]
    [InlineData("/gordo/v0/p/pump-1/healthcheck")]
    [InlineData("/gordo/v0/p/pump-1/download-model")]
    [InlineData("/server-version")]
    [InlineData("/healthcheck")]
    public async Task A_missing_revision_is_410_echoing_it_by_query_and_by_header(string route)
    {
        var byQuery = await Server.GetAsync($"{route}?revision=77777");
        await AssertGoneAsync(byQuery, "{\"error\": \"Revision '77777' not found.\", \"revision\": \"77777\"}", "77777");

        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Add("revision", "77777");
        await AssertGoneAsync(await Server.Client.SendAsync(request, TestContext.Current.CancellationToken),
            "{\"error\": \"Revision '77777' not found.\", \"revision\": \"77777\"}", "77777");
    }

    [Theory]
    [InlineData("prediction")]
    [InlineData("anomaly/prediction")]
    public async Task A_missing_revision_on_a_prediction_route_echoes_it_too(string route)
    {
        var build = Collection.Current("pump-1");
        var response = await Server.PostJsonAsync($"/gordo/v0/p/pump-1/{route}?revision=77777", GordoPayload.FromDataset(build.Data, 0, 5, build.Targets));
        await AssertGoneAsync(response, "{\"error\": \"Revision '77777' not found.\", \"revision\": \"77777\"}", "77777");
    }

    [Theory]
    [InlineData("abc", "abc", "abc")]
    [InlineData("12a", "12a", "12a")]
    [InlineData("1%0A", "1\n", "1%0A")]
    [InlineData("1%0D%0ASet-Cookie:%20x=1", "1\r\nSet-Cookie: x=1", "1%0D%0ASet-Cookie: x=1")]
    [InlineData("%D9%A3", "\u0663", "%D9%A3")]
    [InlineData("50%25", "50%", "50%25")]
    [InlineData("%F0%9F%92%A5", "\U0001F4A5", "%F0%9F%92%A5")]
    public async Task A_non_numeric_revision_is_410_echoing_it_with_a_header_safe_copy(string query, string requested, string header)
    {
        var response = await Server.GetAsync($"/gordo/v0/p/models?revision={query}");
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var json = await response.JsonAsync(HttpStatusCode.Gone);
        Assert.Equal("Revision should only contains numbers.", json.GetProperty("error").GetString());
        Assert.Equal(requested, json.GetProperty("revision").GetString());
        Assert.Equal(header, Assert.Single(response.Headers.GetValues("revision")));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_non_numeric_revision_header_is_echoed_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/gordo/v0/p/pump-1/metadata");
        request.Headers.Add("revision", "latest");
        await AssertGoneAsync(await Server.Client.SendAsync(request, TestContext.Current.CancellationToken),
            "{\"error\": \"Revision should only contains numbers.\", \"revision\": \"latest\"}", "latest");
    }

    [Fact]
    public void Synthetic_models_name_gordo_cores_random_data_provider_with_arguments_it_takes()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Collection.CurrentDirectory, "pump-1", "metadata.json")));
        var provider = metadata.RootElement.GetProperty("dataset").GetProperty("data_provider");
        // RandomDataProvider.__init__(self, min_size=100, max_size=300): no other keyword is accepted.
        Assert.Equal(["type", "min_size", "max_size"], provider.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("RandomDataProvider", provider.GetProperty("type").GetString());
        Assert.Equal(100, provider.GetProperty("min_size").GetInt32());
        Assert.Equal(300, provider.GetProperty("max_size").GetInt32());
        var source = metadata.RootElement.GetProperty("metadata").GetProperty("build_metadata").GetProperty("dataset").GetProperty("dataset_meta").GetProperty("data_source").GetString();
        Assert.StartsWith("synthetic (seed 12,", source, StringComparison.Ordinal);
    }

    /// <summary>The client's Parquet path, byte for byte as requests/urllib3 frame it: parts named and
    /// filenamed X and y without a part content type, and the client's query string.</summary>
    [Fact]
    public async Task The_clients_parquet_request_framing_is_answered_with_parquet()
    {
        var build = Collection.Current("pump-1");
        var x = PandasParquet.FromDataset(build.Data, 10, 20, build.Data.Tags);
        var y = PandasParquet.FromDataset(build.Data, 10, 20, build.Targets);
        var boundary = Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        foreach (var (name, file) in new[] { ("X", x), ("y", y) })
        {
            body.Write(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\r\n"));
            body.Write(file);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        var response = await Server.Client.PostAsync(
            $"/gordo/v0/p/pump-1/anomaly/prediction?format=parquet&revision={TestCollection.CurrentRevision}&all_columns=true", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.ToString());
        var answer = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal("PAR1"u8.ToArray(), answer[..4]);
        Assert.Equal("PAR1"u8.ToArray(), answer[^4..]);
        Assert.Equal(TestCollection.CurrentRevision, Assert.Single(response.Headers.GetValues("revision")));
    }

    private static async Task AssertGoneAsync(HttpResponseMessage response, string body, string header)
    {
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        using var expected = JsonDocument.Parse(body);
        using var actual = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), $"Expected {body}, got {actual.RootElement}");
        Assert.Equal(header, Assert.Single(response.Headers.GetValues("revision")));
    }
}
