namespace Gordo.Api.Pipeline;

/// <summary>Accepts a trailing slash on every route (gordo accepted it on only some). The Orleans
/// dashboard is left alone: its page needs the slash so that its relative asset paths resolve.</summary>
public sealed class TrailingSlashMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path[^1] == '/' && !context.Request.Path.StartsWithSegments(Admin.DashboardEndpoints.Prefix, StringComparison.Ordinal))
        {
            context.Request.Path = new PathString(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/");
        }

        return next(context);
    }
}
