namespace Gordo.Api.Admin;

/// <summary>Guards every <c>/admin/*</c> API route with the admin key (<see cref="AdminAuthorization"/>).</summary>
public sealed class AdminKeyFilter(AdminAuthorization authorization) : IEndpointFilter
{
    public const string HeaderName = AdminAuthorization.HeaderName;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await authorization.AuthorizeAsync(context.HttpContext, allowCookie: false).ConfigureAwait(false)
            ? await next(context).ConfigureAwait(false)
            : null;
}
