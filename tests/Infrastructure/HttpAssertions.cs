using System.Net;
using System.Text.Json;

namespace Gordo.Tests.Infrastructure;

/// <summary>Reading responses and asserting gordo's response rules (exact JSON content type, revision key).</summary>
public static class HttpAssertions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>A JSON error: the status, the key gordo uses (error or message), and the revision key.</summary>
    public static async Task<string> ErrorAsync(this HttpResponseMessage response, HttpStatusCode expected, string key = "error")
    {
        var json = await response.JsonAsync(expected);
        Assert.True(json.TryGetProperty(key, out var message), $"No '{key}' key in {json}");
        Assert.True(json.TryGetProperty("revision", out _), $"No revision key in {json}");
        return message.GetString()!;
    }

    /// <summary>The Open Inference Protocol's error: the status and a body that is <c>{"error": "..."}</c> alone.</summary>
    public static async Task<string> V2ErrorAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var json = await response.JsonAsync(expected);
        Assert.Equal(["error"], json.EnumerateObject().Select(p => p.Name).ToArray());
        var message = json.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message;
    }
}
