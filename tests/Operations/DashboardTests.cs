using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Operations;

/// <summary>
/// The Orleans Dashboard at <c>/admin/dashboard</c>: absent without an admin secret, refused without the
/// key, and, signed in through the key form in a real headless Chromium, showing both silos of a cluster.
/// </summary>
public sealed class DashboardTests(TestCollection collection)
{
    [Fact]
    public async Task Without_an_admin_secret_the_dashboard_and_its_login_do_not_exist()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "" });
        await (await server.GetAsync("/admin/dashboard/")).ErrorAsync(HttpStatusCode.NotFound);
        await (await server.GetAsync("/admin/login")).ErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_dashboard_needs_the_key_or_the_session_the_key_form_sets()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "dash-key" });
        await (await server.GetAsync("/admin/dashboard/")).ErrorAsync(HttpStatusCode.Unauthorized);
        using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/"))
        {
            wrong.Headers.Add("X-API-Key", "not-it");
            await (await server.Client.SendAsync(wrong, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.Forbidden);
        }

        using (var forged = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/"))
        {
            forged.Headers.Add("Cookie", "gordo-admin=0123456789abcdef");
            await (await server.Client.SendAsync(forged, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.Forbidden);
        }

        using (var right = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/"))
        {
            right.Headers.Add("X-API-Key", "dash-key");
            var page = await server.Client.SendAsync(right, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("text/html", page.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }

        // The form: a wrong key is refused, the right one sets an HttpOnly session cookie (not the key).
        using var noCookies = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Address };
        var refused = await noCookies.PostAsync("/admin/login", new FormUrlEncodedContent([new("key", "not-it")]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var signedIn = await noCookies.PostAsync("/admin/login", new FormUrlEncodedContent([new("key", "dash-key")]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("dash-key", cookie, StringComparison.Ordinal);
        using var withSession = new HttpRequestMessage(HttpMethod.Get, "/admin/dashboard/");
        withSession.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await noCookies.SendAsync(withSession, TestContext.Current.CancellationToken)).StatusCode);

        // Malformed sign-ins are 4xx JSON answers, never a 500.
        var fields = string.Join("&", Enumerable.Range(0, 5000).Select(i => $"a{i}=1"));
        foreach (var (type, body, expected) in new (string, string, HttpStatusCode)[]
        {
            ("application/x-www-form-urlencoded", fields, HttpStatusCode.BadRequest),
            ("multipart/form-data; boundary=x", "garbage", HttpStatusCode.UnsupportedMediaType),
            ("multipart/form-data", "garbage", HttpStatusCode.UnsupportedMediaType),
            ("application/json", "{\"key\": \"dash-key\"}", HttpStatusCode.UnsupportedMediaType),
            ("application/x-www-form-urlencoded", "key=%ZZ%", HttpStatusCode.Forbidden),
        })
        {
            using var malformed = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
            malformed.Headers.TryAddWithoutValidation("Content-Type", type);
            await (await noCookies.PostAsync("/admin/login", malformed, TestContext.Current.CancellationToken)).ErrorAsync(expected);
        }

        // The session opens the dashboard only, not the admin API (that keeps the header).
        using var api = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        api.Headers.Add("Cookie", cookie.Split(';')[0]);
        await (await noCookies.SendAsync(api, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_browser_signed_in_with_the_key_sees_both_silos_of_a_cluster()
    {
        await using var cluster = await ClusterHarness.StartAsync(collection.CurrentDirectory);
        var first = await cluster.StartSiloAsync("silo-a");
        var second = await cluster.StartSiloAsync("silo-b");
        await ClusterHarness.WaitForActiveSilosAsync(first, 2);
        var build = collection.Current("pump-1");
        await (await first.PostJsonAsync("/gordo/v0/p/pump-1/prediction", GordoPayload.FromDataset(build.Data, 0, 3, null))).JsonAsync(HttpStatusCode.OK);
        var silos = new[] { first, second }.Select(s => s.Get<Orleans.Runtime.ILocalSiloDetails>().SiloAddress.Endpoint.Port.ToString(CultureInfo.InvariantCulture)).ToArray();

        var page = await BrowseAsync(first.Address, ClusterHarness.AdminKey, silos, activeSilos: 2);
        Assert.Equal(200, page.GetProperty("status").GetInt32());
        Assert.StartsWith(new Uri(first.Address, "/admin/dashboard").ToString(), page.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"ACTIVE SILOS\s+2\b", page.GetProperty("overview").GetString()!);
        var text = page.GetProperty("text").GetString()!;
        Assert.True(silos.All(port => text.Contains(port, StringComparison.Ordinal)), $"The dashboard does not list silos {string.Join(", ", silos)}: {text}");
    }

    private static async Task<JsonElement> BrowseAsync(Uri server, string key, string[] expected, int activeSilos)
    {
        var tools = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "tests", "interop"));
        var start = new ProcessStartInfo("node", [Path.Combine(tools, "dashboard.mjs"), server.ToString().TrimEnd('/'), key, .. expected])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = tools,
        };
        start.Environment["DASHBOARD_ACTIVE_SILOS"] = activeSilos.ToString(CultureInfo.InvariantCulture);
        using var browser = Process.Start(start)!;
        var output = browser.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = browser.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await browser.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        Assert.True(browser.ExitCode == 0, $"dashboard.mjs failed: {await errors}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
