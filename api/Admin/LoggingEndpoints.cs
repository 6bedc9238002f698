using System.Text;
using System.Text.Json;
using Gordo.Silo.Cluster;

namespace Gordo.Api.Admin;

/// <summary>
/// <c>GET /admin/logging/level?name=&lt;category&gt;</c>: every silo's effective level for the category and
/// the desired one. <c>PUT /admin/logging/level</c> <c>{"name": ..., "level": ...}</c>: stores the desired
/// level (Redis in a cluster, so a silo started later applies it too), sets it on every silo at once,
/// and on this process when it is a gateway.
/// </summary>
internal static class LoggingEndpoints
{
    public static async Task GetAsync(HttpContext context)
    {
        var category = context.Request.Query["name"].ToString();
        RequireCategory(category);
        var services = context.RequestServices;
        var desired = await DesiredAsync(services, category).ConfigureAwait(false);
        var replies = await services.GetRequiredService<ClusterBroadcast>()
            .BroadcastAsync(LogLevelHandlers.Get, Encoding.UTF8.GetBytes(category), BroadcastDeadline.From(context), context.RequestAborted).ConfigureAwait(false);
        await AdminReplies.WriteAsync(context, replies, writer =>
        {
            writer.WriteString("name", category);
            writer.WriteString("desired", desired?.ToString());
            WriteSelf(writer, services, category);
        }).ConfigureAwait(false);
    }

    public static async Task PutAsync(HttpContext context)
    {
        var fields = await AdminBody.ReadAsync(context, ["name", "level"], optional: false).ConfigureAwait(false);
        var category = fields.GetValueOrDefault("name") ?? throw AdminBody.Bad("Field \"name\" (a logging category, or \"Default\") is required.");
        RequireCategory(category);
        var text = fields.GetValueOrDefault("level") ?? throw AdminBody.Bad($"Field \"level\" is required: one of {string.Join(", ", LogLevels.LevelNames)}.");
        if (!LogLevels.TryParseLevel(text, out var level))
        {
            throw AdminBody.Bad($"Invalid level '{AdminBody.Shorten(text)}': use one of {string.Join(", ", LogLevels.LevelNames)}.");
        }

        var services = context.RequestServices;
        try
        {
            await services.GetRequiredService<ILogLevelStore>().SetAsync(category, level).WaitAsync(TimeSpan.FromSeconds(5), context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            throw new GordoException(StatusCodes.Status503ServiceUnavailable, $"The desired level could not be stored (Redis: {ex.Message}); nothing was changed.");
        }

        if (!services.GetRequiredService<GordoRole>().HostsGrains)
        {
            services.GetRequiredService<LogLevels>().Apply(category, level);
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new LogLevelReport(category, level.ToString()), ControlJsonContext.Default.LogLevelReport);
        var replies = await services.GetRequiredService<ClusterBroadcast>()
            .BroadcastAsync(LogLevelHandlers.Set, payload, BroadcastDeadline.From(context), context.RequestAborted).ConfigureAwait(false);
        await AdminReplies.WriteAsync(context, replies, writer =>
        {
            writer.WriteString("name", category);
            writer.WriteString("level", level.ToString());
            WriteSelf(writer, services, category);
        }).ConfigureAwait(false);
    }

    private static void RequireCategory(string category)
    {
        if (string.IsNullOrEmpty(category))
        {
            throw AdminBody.Bad("A logging category is required (name, e.g. Gordo.Grains or Default).");
        }

        if (!LogLevels.IsValidCategory(category))
        {
            throw AdminBody.Bad($"'{AdminBody.Shorten(category)}' is not a logging category: use letters, digits, '.', '_' and '-'.");
        }
    }

    private static async Task<LogLevel?> DesiredAsync(IServiceProvider services, string category)
    {
        try
        {
            var all = await services.GetRequiredService<ILogLevelStore>().GetAllAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return all.TryGetValue(category, out var level) ? level : null;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            return null;
        }
    }

    private static void WriteSelf(Utf8JsonWriter writer, IServiceProvider services, string category)
    {
        if (!services.GetRequiredService<GordoRole>().HostsGrains)
        {
            writer.WriteString("gateway", services.GetRequiredService<LogLevels>().Effective(category).ToString());
        }
    }
}
