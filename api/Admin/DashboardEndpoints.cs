using System.Net;
using Orleans.Dashboard;

namespace Gordo.Api.Admin;

/// <summary>
/// The Orleans Dashboard at <c>/admin/dashboard</c>, behind the admin key like every admin route (it has no
/// authentication of its own). A browser cannot send <c>X-API-Key</c>, so <c>/admin/login</c> is a key form
/// that sets an HttpOnly, same-site session cookie valid for <c>/admin</c> pages; API clients keep using
/// the header.
/// </summary>
public static class DashboardEndpoints
{
    public const string Prefix = "/admin/dashboard";

    public static WebApplication MapAdminDashboard(this WebApplication app)
    {
        // The dashboard's own endpoints (page, scripts, data) are guarded as one: a middleware, since
        // they are not all minimal-API handlers an endpoint filter would see.
        app.UseWhen(static context => context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal), branch => branch.Use(static async (context, next) =>
        {
            if (await context.RequestServices.GetRequiredService<AdminAuthorization>().AuthorizeAsync(context, allowCookie: true).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }
        }));
        app.MapOrleansDashboard(routePrefix: Prefix);
        app.MapGet("/admin/login", LoginForm);
        app.MapPost("/admin/login", LoginAsync).DisableAntiforgery();
        return app;
    }

    private static async Task LoginForm(HttpContext context, AdminAuthorization authorization)
    {
        if (!authorization.IsConfigured)
        {
            await Http.GordoResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Not found: {context.Request.Path}").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Gordo admin</title></head>
            <body>
            <h1>Gordo admin</h1>
            <form method="post" action="/admin/login">
            <label>Admin key <input type="password" name="key" autocomplete="current-password" autofocus required></label>
            <button type="submit">Sign in</button>
            </form>
            </body></html>
            """).ConfigureAwait(false);
    }

    private static async Task LoginAsync(HttpContext context, AdminAuthorization authorization, AdminAuthThrottle throttle)
    {
        if (!authorization.IsConfigured)
        {
            await Http.GordoResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Not found: {context.Request.Path}").ConfigureAwait(false);
            return;
        }

        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "?";
        if (throttle.Blocked(remote) is { } wait)
        {
            await authorization.RefuseAsync(context, remote, StatusCodes.Status429TooManyRequests, "too many failed attempts",
                $"Too many failed admin authentications from this address; try again in {AdminAuthThrottle.Seconds(wait)} s.", wait).ConfigureAwait(false);
            return;
        }

        if (!context.Request.ContentType.AsSpan().TrimStart().StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            await Http.GordoResponses.WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "Sign in with the form: application/x-www-form-urlencoded with a \"key\" field.")
                .ConfigureAwait(false);
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // Over the form's limits (fields, lengths) or not a form at all.
            await Http.GordoResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"The sign-in form cannot be read: {ex.Message}").ConfigureAwait(false);
            return;
        }

        if (!authorization.IsKey(form["key"].ToString()))
        {
            await authorization.RefuseAsync(context, remote, StatusCodes.Status403Forbidden, "wrong key (login form)", "The admin key is not valid.", throttle.Fail(remote))
                .ConfigureAwait(false);
            return;
        }

        context.Response.Cookies.Append(AdminAuthorization.CookieName, authorization.SessionValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/admin",
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromHours(8),
        });
        context.Response.StatusCode = (int)HttpStatusCode.SeeOther;
        context.Response.Headers.Location = Prefix + "/";
    }
}
