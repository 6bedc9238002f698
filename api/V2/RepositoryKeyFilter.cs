using Gordo.Api.Admin;

namespace Gordo.Api.V2;

/// <summary>The repository routes load and unload models: behind the admin key when one is configured, open otherwise.</summary>
internal sealed class RepositoryKeyFilter(AdminAuthorization authorization) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        !authorization.IsConfigured || await authorization.AuthorizeAsync(context.HttpContext, allowCookie: false).ConfigureAwait(false)
            ? await next(context).ConfigureAwait(false)
            : Results.Empty;
}
