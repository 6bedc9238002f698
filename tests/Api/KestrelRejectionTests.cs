using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gordo.Tests.Infrastructure;

namespace Gordo.Tests.Api;

/// <summary>
/// Requests Kestrel refuses before Gordo's pipeline runs (bad request line, URI or headers too long, an
/// unknown HTTP version) still get gordo's JSON error shape and revision header, sent over a raw socket
/// because HttpClient would not send them.
/// </summary>
public sealed class KestrelRejectionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, int> Rejections => new()
    {
        { "GET /gordo/v0/p/pump%00-1/metadata HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400 },
        { "GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n", 400 },
        { "GARBAGE\r\n\r\n", 400 },
        { "GET /healthcheck HTTP/1.1\r\n\r\n", 400 }, // HTTP/1.1 without Host
        { "GET /" + new string('a', 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414 },
        { "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + new string('b', 40_000) + "\r\n\r\n", 431 },
        { "GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: 1\r\n")) + "\r\n", 431 },
        { "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 505 },
        { "POST /gordo/v0/p/pump-1/prediction HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999\r\n\r\n", 413 },
    };

    [Theory]
    [MemberData(nameof(Rejections))]
    public async Task Kestrel_rejections_answer_a_json_error_with_the_revision(string request, int status)
    {
        var (code, headers, body) = await SendRawAsync(request);
        Assert.Equal(status, code);
        Assert.Equal("application/json", headers.GetValueOrDefault("content-type"));
        Assert.Equal(TestCollection.CurrentRevision, headers.GetValueOrDefault("revision"));
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), headers.GetValueOrDefault("content-length"));
        using var json = JsonDocument.Parse(body);
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("error").GetString()));
        Assert.Equal(TestCollection.CurrentRevision, json.RootElement.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task A_normal_request_on_the_same_kind_of_connection_is_untouched()
    {
        var (code, headers, body) = await SendRawAsync("GET /healthcheck HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, code);
        Assert.Equal("text/html; charset=utf-8", headers.GetValueOrDefault("content-type"));
        Assert.Empty(body);
    }

    private async Task<(int Status, Dictionary<string, string> Headers, byte[] Body)> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(fixture.Server.Address.Host, fixture.Server.Address.Port, TestContext.Current.CancellationToken);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(request), TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
            // Kestrel may answer and close before the whole request is written.
        }

        var answer = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (IOException) when (answer.Length > 0)
        {
        }

        var bytes = answer.ToArray();
        var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end > 0, $"No HTTP response: {Encoding.Latin1.GetString(bytes)}");
        var lines = Encoding.Latin1.GetString(bytes, 0, end).Split("\r\n");
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        return (int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), headers, bytes[(end + 4)..]);
    }
}
