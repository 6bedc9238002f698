using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Text that is not text: invalid UTF-8, escaped lone surrogates, NUL and overlong encodings in the
/// names, keys and values of every body Gordo reads. Each is the client's error (a 4xx with a JSON
/// body that says what was wrong), never a 500.
/// </summary>
public sealed class HostileInputTests(TestCollection collection) : IAsyncLifetime
{
    private const string AdminKey = "hostile-key";

    /// <summary>Byte sequences that no UTF-8 decoder may accept, and escapes no UTF-16 string may hold.</summary>
    private static readonly byte[][] s_hostile =
    [
        [0xff], [0xfe, 0xfd], [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xf0, 0x80, 0x80, 0xaf], [0xed, 0xa0, 0x80],
        [0xed, 0xbf, 0xbf], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xbf, 0xbf], [0x00],
        "\\ud800"u8.ToArray(), "\\udfff"u8.ToArray(), "\\ud800\\ud800"u8.ToArray(), "\\udc00\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(),
        "\\ud83d"u8.ToArray(), "\\uDBFFx"u8.ToArray(),
    ];

    private GordoServerHost? _server;

    private GordoServerHost Server => _server!;

    public async ValueTask InitializeAsync() =>
        _server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = AdminKey });

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    [Theory]
    [InlineData("prediction")]
    [InlineData("anomaly/prediction")]
    public async Task Invalid_utf8_inside_a_frame_key_is_a_400(string route)
    {
        var body = Concat("{\"X\": {\""u8, [0xff, 0xfe, 0xfd], "\": {\"0\": 1}}}"u8);
        var error = await (await PostAsync($"/gordo/v0/p/pump-1/{route}", body, "application/json")).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not valid text", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lone_surrogate_escape_in_a_column_name_is_a_400()
    {
        var body = "{\"X\": {\"PT-\\ud800\": {\"2020-01-01T00:00:00+00:00\": 1}}, \"y\": null}"u8.ToArray();
        var error = await (await PostAsync("/gordo/v0/p/pump-1/prediction", body, "application/json")).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("lone surrogate", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_utf8_in_an_admin_log_category_is_a_400()
    {
        var body = Concat("{\"name\": \"Gordo"u8, [0xff], "\", \"level\": \"Debug\"}"u8);
        var error = await (await PostAsync("/admin/logging/level", body, "application/json", HttpMethod.Put)).ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not valid text", error, StringComparison.Ordinal);
    }

    /// <summary>Seeded: each hostile sequence put into names, index keys and values of the frame shapes a
    /// request may take, and into admin fields; every answer is a 4xx JSON error or a 200.</summary>
    [Fact]
    public async Task Seeded_hostile_text_in_every_body_reading_route_never_gets_a_5xx()
    {
        var random = new Random(20261201);
        string[] frames =
        [
            "{\"X\": {\"@N\": {\"@K\": @V, \"2020-01-01 00:10:00+00:00\": 2}, \"TT-102\": {\"@K\": 3, \"2020-01-01 00:10:00+00:00\": 4}}, \"y\": {\"@N\": {\"@K\": 1, \"2020-01-01 00:10:00+00:00\": @V}}}",
            "{\"X\": {\"@N\": [@V, 1, 2], \"b\": [1, 2, 3]}}",
            "{\"X\": [{\"@N\": @V, \"b\": 2}, {\"@N\": 3, \"b\": 4}]}",
            "{\"X\": [[@V, 1], [2, 3]], \"y\": [[1, 2], [3, 4]]}",
            "{\"@N\": 1, \"X\": {\"a\": {\"@K\": @V}}}",
            "{\"X\": {\"a\": {\"@K\": {\"@N\": 1}}}}",
        ];
        string[] admin = ["{\"name\": \"@N\", \"level\": \"@V\"}", "{\"@N\": \"Debug\"}", "{\"target\": \"@N\", \"revision\": \"@V\"}", "{\"revision\": \"@V\"}"];
        var answered = 0;
        for (var i = 0; i < 240; i++)
        {
            var hostile = s_hostile[random.Next(s_hostile.Length)];
            var prefix = random.Next(3) switch { 0 => "PT-"u8.ToArray(), 1 => [], _ => "2020-01-01T00:00"u8.ToArray() };
            var (route, method, template) = (i % 4) switch
            {
                0 => ("/gordo/v0/p/pump-1/prediction", HttpMethod.Post, frames[random.Next(frames.Length)]),
                1 => ("/gordo/v0/p/pump-1/anomaly/prediction", HttpMethod.Post, frames[random.Next(frames.Length)]),
                2 => ("/admin/logging/level", HttpMethod.Put, admin[random.Next(2)]),
                _ => (random.Next(2) == 0 ? "/admin/models/evict" : "/admin/models/reload", HttpMethod.Post, admin[2 + random.Next(2)]),
            };
            var body = Fill(template, Concat(prefix, hostile), random.Next(2) == 0 ? Concat("\""u8, hostile, "\""u8) : Concat("\"1"u8, hostile, "\""u8));
            var response = await PostAsync(route, body, "application/json", method);
            await AssertNoServerErrorAsync(response, $"{method} {route} {Encoding.Latin1.GetString(body)}");
            answered++;
        }

        // Multipart part names and file names are text too.
        foreach (var hostile in s_hostile)
        {
            var boundary = "b" + Guid.NewGuid().ToString("N");
            var body = Concat(Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"X"), hostile, "\"; filename=\"X"u8.ToArray(), hostile,
                Encoding.ASCII.GetBytes($"\"\r\n\r\nPAR1\r\n--{boundary}--\r\n"));
            var response = await PostAsync("/gordo/v0/p/pump-1/anomaly/prediction", body, $"multipart/form-data; boundary={boundary}");
            await AssertNoServerErrorAsync(response, "multipart " + Convert.ToHexString(hostile));
            answered++;
        }

        Assert.Equal(240 + s_hostile.Length, answered);
    }

    private static async Task AssertNoServerErrorAsync(HttpResponseMessage response, string what)
    {
        var code = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(code is 200 or (>= 400 and < 500), $"{what}: {code} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        if (code >= 400)
        {
            Assert.True(text.Contains("\"error\"", StringComparison.Ordinal) || text.Contains("\"message\"", StringComparison.Ordinal), $"{what}: {text}");
        }
    }

    private static byte[] Fill(string template, byte[] name, byte[] value)
    {
        var output = new List<byte>();
        var bytes = Encoding.UTF8.GetBytes(template);
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '@' && i + 1 < bytes.Length && bytes[i + 1] is (byte)'N' or (byte)'K' or (byte)'V')
            {
                output.AddRange(bytes[i + 1] == 'V' ? value : name);
                i++;
            }
            else
            {
                output.Add(bytes[i]);
            }
        }

        return [.. output];
    }

    private static byte[] Concat(params ReadOnlySpan<byte[]> parts)
    {
        var output = new List<byte>();
        foreach (var part in parts)
        {
            output.AddRange(part);
        }

        return [.. output];
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c) => [.. a, .. b, .. c];

    private async Task<HttpResponseMessage> PostAsync(string route, byte[] body, string contentType, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, route);
        request.Headers.Add("X-API-Key", AdminKey);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Server.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
