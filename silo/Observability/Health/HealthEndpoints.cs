using System.Globalization;
using System.Text.Json;
using Gordo.Frames.Json;

namespace Gordo.Silo;

public static class HealthEndpoints
{
    /// <summary>
    /// <c>/health/live</c> (the process answers), <c>/health/ready</c> (membership joined, model store
    /// readable; 503 otherwise) and <c>/health?max_level=N</c> (c2cwsgiutils' levels, default 1: every
    /// check with its timing and level under <c>successes</c> or <c>failures</c>; 500 when any failed).
    /// gordo's own <c>/healthcheck</c> is unchanged.
    /// </summary>
    public static IEndpointRouteBuilder MapGordoHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health/live", static context => WriteAsync(context, StatusCodes.Status200OK, w => w.WriteString("status", "ok")));
        endpoints.MapGet("/health/ready", static context =>
        {
            var results = context.RequestServices.GetRequiredService<GordoHealthChecks>().Readiness();
            var ready = results.All(r => r.Passed);
            return WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, w =>
            {
                w.WriteString("status", ready ? "ready" : "not ready");
                WriteResults(w, results);
            });
        });
        endpoints.MapGet("/health", static async context =>
        {
            var text = context.Request.Query["max_level"].ToString();
            var maxLevel = 1;
            if (text.Length > 0 && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out maxLevel) || maxLevel > 100))
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, w => w.WriteString("error", $"max_level must be a whole number from 0 to 100 (got '{text}').")).ConfigureAwait(false);
                return;
            }

            var results = await context.RequestServices.GetRequiredService<GordoHealthChecks>().RunAsync(maxLevel, context.RequestAborted).ConfigureAwait(false);
            var healthy = results.All(r => r.Passed);
            await WriteAsync(context, healthy ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError, w =>
            {
                w.WriteNumber("status", healthy ? 200 : 500);
                WriteResults(w, results);
            }).ConfigureAwait(false);
        });
        return endpoints;
    }

    private static void WriteResults(Utf8JsonWriter writer, IReadOnlyList<HealthCheckResult> results)
    {
        foreach (var (group, passed) in new[] { ("successes", true), ("failures", false) })
        {
            writer.WriteStartObject(group);
            foreach (var result in results.Where(r => r.Passed == passed))
            {
                writer.WriteStartObject(result.Name);
                writer.WriteNumber("level", result.Level);
                writer.WriteNumber("timing", Math.Round(result.Timing.TotalSeconds, 6));
                writer.WriteString(passed ? "result" : "message", result.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, GordoJson.WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
