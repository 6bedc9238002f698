using System.Net;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>Every /admin route needs GORDO_ADMIN_SECRET in X-API-Key; without a secret they do not exist.</summary>
public sealed class AdminAccessTests(TestCollection collection)
{
    public static TheoryData<string> AdminRoutes => ["/admin/cluster", "/admin/grains"];

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task Without_a_configured_secret_admin_routes_are_404(string route)
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory);
        using var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.Add("X-API-Key", "anything");
        await (await server.Client.SendAsync(request, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task A_missing_key_is_401_a_wrong_one_403_and_the_right_one_passes(string route)
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "right" });
        await (await server.GetAsync(route)).ErrorAsync(HttpStatusCode.Unauthorized);
        foreach (var wrong in new[] { "wrong", "righ", "right!", "RIGHT", new string('r', 1000) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, route);
            request.Headers.Add("X-API-Key", wrong);
            await (await server.Client.SendAsync(request, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.Forbidden);
        }

        using var good = new HttpRequestMessage(HttpMethod.Get, route);
        good.Headers.Add("X-API-Key", "right");
        await (await server.Client.SendAsync(good, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_single_silo_reports_itself_and_its_grains()
    {
        await using var server = await GordoServerHost.StartAsync(collection.CurrentDirectory, new Dictionary<string, string?> { ["Gordo:Api:AdminSecret"] = "k" });
        var build = collection.Current("pump-1");
        await (await server.PostJsonAsync("/gordo/v0/p/pump-1/prediction", GordoPayload.FromDataset(build.Data, 0, 3, null))).JsonAsync(HttpStatusCode.OK);
        using var cluster = new HttpRequestMessage(HttpMethod.Get, "/admin/cluster");
        cluster.Headers.Add("X-API-Key", "k");
        var silo = Assert.Single((await (await server.Client.SendAsync(cluster, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK)).GetProperty("silos").EnumerateArray());
        Assert.Equal(1, silo.GetProperty("activations").GetInt32());
        using var grains = new HttpRequestMessage(HttpMethod.Get, "/admin/grains?timeout=2");
        grains.Headers.Add("X-API-Key", "k");
        var grain = Assert.Single((await (await server.Client.SendAsync(grains, TestContext.Current.CancellationToken)).JsonAsync(HttpStatusCode.OK)).GetProperty("grains").EnumerateArray());
        Assert.Equal($"model/{TestCollection.CurrentRevision}/pump-1", grain.GetProperty("grain").GetString());
        using var bad = new HttpRequestMessage(HttpMethod.Get, "/admin/grains?timeout=forever");
        bad.Headers.Add("X-API-Key", "k");
        await (await server.Client.SendAsync(bad, TestContext.Current.CancellationToken)).ErrorAsync(HttpStatusCode.BadRequest);
    }
}
