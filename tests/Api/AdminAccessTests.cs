using System.Net;
using System.Text;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>Every /admin route needs GORDO_ADMIN_SECRET in X-API-Key (401 without, 403 wrong); without a
/// configured secret the routes do not exist (404). Malformed input to any of them is a 4xx JSON answer.</summary>
public sealed class AdminAccessTests(TestCollection collection)
{
    public static TheoryData<string, string, string?> AdminRoutes => new()
    {
        { "GET", "/admin/cluster", null },
        { "GET", "/admin/grains", null },
        { "GET", "/admin/logging/level?name=Default", null },
        { "PUT", "/admin/logging/level", "{\"name\": \"Gordo\", \"level\": \"Information\"}" },
        { "GET", "/admin/diagnostics", null },
        { "GET", "/admin/diagnostics/stacks", null },
        { "GET", "/admin/versions", null },
        { "POST", "/admin/models/evict", "{}" },
        { "POST", "/admin/models/reload", "{}" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_a_configured_secret_admin_routes_are_404(string method, string route, string? body)
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        await (await SendAsync(server, method, route, body, "anything")).ErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_missing_key_is_401_a_wrong_one_403_and_the_right_one_passes(string method, string route, string? body)
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "s3cret-Key" });
        await (await SendAsync(server, method, route, body, null)).ErrorAsync(HttpStatusCode.Unauthorized);
        string[] wrongKeys = ["k3y-guess-1", "s3cret-Ke", "s3cret-Key!", "S3CRET-KEY", new string('q', 1000)];
        foreach (var wrong in wrongKeys)
        {
            await (await SendAsync(server, method, route, body, wrong)).ErrorAsync(HttpStatusCode.Forbidden);
        }

        await (await SendAsync(server, method, route, body, "s3cret-Key")).JsonAsync(HttpStatusCode.OK);
        // Six refusals from one address within a minute: one line, the rest summarised when the minute ends.
        var refusals = server.Logs.Entries.Where(e => e.Category.EndsWith("AdminAuthThrottle", StringComparison.Ordinal)).ToList();
        Assert.Single(refusals);
        Assert.All(refusals, e =>
        {
            Assert.DoesNotContain("s3cret-Ke", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("k3y-guess", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("qqqq", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Failed_authentications_are_rate_limited_per_address_and_logged_as_one_summary()
    {
        var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "right" });
        await using var other = FromAddress(server, "127.0.0.2");
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await (await SendAsync(server, "GET", "/admin/versions", null, i % 2 == 0 ? "wrong" : null)).ErrorAsync(i % 2 == 0 ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized);
            }

            // The eleventh attempt, and every admin request from that address for the rest of the minute, is a 429.
            for (var i = 0; i < 200; i++)
            {
                var refused = await SendAsync(server, "GET", "/admin/versions", null, i == 199 ? "right" : "guess-" + i);
                var error = await refused.ErrorAsync(HttpStatusCode.TooManyRequests);
                Assert.Contains("Too many failed admin authentications", error, StringComparison.Ordinal);
                var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
                Assert.InRange(retryAfter, 1, 60);
            }

            // Another address keeps its own allowance, and the right key works from it.
            await (await SendAsync(other.Client, "GET", "/admin/versions", null, "right")).JsonAsync(HttpStatusCode.OK);
            await (await SendAsync(other.Client, "GET", "/admin/versions", null, "wrong")).ErrorAsync(HttpStatusCode.Forbidden);
            await (await SendAsync(server, "GET", "/gordo/v0/p/models", null, null)).JsonAsync(HttpStatusCode.OK);

            var lines = server.Logs.Entries.Where(e => e.Category.EndsWith("AdminAuthThrottle", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, lines.Count); // one per address, not one per attempt
            Assert.Contains(lines, l => l.Message.Contains("127.0.0.1", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Message.Contains("127.0.0.2", StringComparison.Ordinal));
        }
        finally
        {
            await server.DisposeAsync();
        }

        // The minute's summary: the 209 refusals after the first one, in one line.
        var summaries = server.Logs.Entries.Where(e => e.Category.EndsWith("AdminAuthThrottle", StringComparison.Ordinal) && e.EventId == 3202).ToList();
        var summary = Assert.Single(summaries);
        Assert.Contains("Refused 209 more admin requests from 127.0.0.1", summary.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("guess-", summary.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_input_to_every_admin_route_is_a_4xx_json_answer()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "k" });
        var bodies = new List<string>
        {
            string.Empty, "{", "}", "[]", "null", "1", "\"x\"", "true", "{\"name\": 5}", "{\"name\": null}", "{\"level\": \"Debug\"}",
            "{\"name\": \"Default\"}", "{\"name\": \"../etc\", \"level\": \"Debug\"}", "{\"name\": \"Default\", \"level\": \"Loud\"}",
            "{\"name\": \"Default\", \"level\": 3}", "{\"name\": \"a..b\", \"level\": \"Debug\"}", "{\"name\": \".a\", \"level\": \"Debug\"}",
            "{\"name\": \"" + new string('a', 10_000) + "\", \"level\": \"Debug\"}", "{\"unknown\": 1}", "{\"target\": \"..\"}",
            "{\"target\": \"a/b\"}", "{\"revision\": \"abc\"}", "{\"revision\": \"../1\"}", "{\"target\": [\"a\"]}", "{\"target\": {}}",
            new string('[', 5000) + new string(']', 5000), "{\"name\": \"Default\", \"level\": \"Debug\", \"extra\": \"x\"}",
            "\u0000\u0001\u0002", "{\"name\": \"Default\", \"level\": \"Debug\"", new string('x', 70_000),
        };
        var random = new Random(1234);
        for (var i = 0; i < 100; i++)
        {
            var bytes = new byte[random.Next(1, 200)];
            random.NextBytes(bytes);
            bodies.Add(Encoding.Latin1.GetString(bytes));
        }

        foreach (var route in new[] { "/admin/logging/level", "/admin/models/evict", "/admin/models/reload" })
        {
            var method = route.EndsWith("level", StringComparison.Ordinal) ? "PUT" : "POST";
            foreach (var body in bodies)
            {
                var response = await SendAsync(server, method, route, body, "k");
                if (route != "/admin/logging/level" && body is "" or "{}")
                {
                    continue; // an empty selection is valid for evict and reload
                }

                await AssertClientErrorAsync(response, $"{method} {route} {Shorten(body)}");
            }
        }

        foreach (var query in new[]
        {
            "/admin/logging/level", "/admin/logging/level?name=", "/admin/logging/level?name=../x", "/admin/logging/level?name=a%20b",
            "/admin/logging/level?name=" + new string('a', 300), "/admin/cluster?timeout=abc", "/admin/grains?timeout=-1",
            "/admin/diagnostics?timeout=1e9", "/admin/versions?timeout=NaN", "/admin/diagnostics/stacks?timeout=0",
        })
        {
            await AssertClientErrorAsync(await SendAsync(server, "GET", query, null, "k"), query);
        }

        foreach (var (method, route) in new[] { ("DELETE", "/admin/cluster"), ("POST", "/admin/versions"), ("GET", "/admin/models/evict"), ("GET", "/admin/nothing") })
        {
            await AssertClientErrorAsync(await SendAsync(server, method, route, null, "k"), $"{method} {route}");
        }
    }

    [Fact]
    public async Task Health_probes_answer_with_levels()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        Assert.Equal("ok", (await (await server.GetAsync("/health/live")).JsonAsync(HttpStatusCode.OK)).GetProperty("status").GetString());
        var ready = await (await server.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["membership", "model_store"], ready.GetProperty("successes").EnumerateObject().Select(p => p.Name).Order());
        var level0 = await (await server.GetAsync("/health?max_level=0")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["ping"], level0.GetProperty("successes").EnumerateObject().Select(p => p.Name));
        var level2 = await (await server.GetAsync("/health?max_level=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(200, level2.GetProperty("status").GetInt32());
        Assert.Equal(6, level2.GetProperty("successes").EnumerateObject().Count());
        Assert.All(level2.GetProperty("successes").EnumerateObject(), p => Assert.True(p.Value.GetProperty("timing").GetDouble() >= 0));
        var badLevel = await (await server.GetAsync("/health?max_level=nope")).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("max_level", badLevel.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/healthcheck")).StatusCode);

        var missing = Path.Combine(Path.GetTempPath(), "gordo-missing-" + Guid.NewGuid().ToString("N"), "1700000000000");
        await using var broken = await GordoServerHost.StartAsync(missing);
        var notReady = await broken.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        var unhealthy = await (await broken.GetAsync("/health")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("model_store", System.Text.Json.JsonDocument.Parse(unhealthy).RootElement.GetProperty("failures").EnumerateObject().Select(p => p.Name));
    }

    private static async Task AssertClientErrorAsync(HttpResponseMessage response, string what)
    {
        var code = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(code is >= 400 and < 500, $"{what}: {code} {Shorten(body)}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"error\"", body, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> SendAsync(GordoServerHost server, string method, string route, string? body, string? key) =>
        SendAsync(server.Client, method, route, body, key);

    /// <summary>A client whose connections come from another loopback address (Linux routes all of 127/8 to lo).</summary>
    private static OtherAddressClient FromAddress(GordoServerHost server, string address)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new OtherAddressClient(new HttpClient(handler) { BaseAddress = server.Address });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string route, string? body, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private sealed class OtherAddressClient(HttpClient client) : IAsyncDisposable
    {
        public HttpClient Client { get; } = client;

        public ValueTask DisposeAsync()
        {
            Client.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
