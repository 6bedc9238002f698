using Microsoft.Extensions.Logging;

namespace Gordo.Silo;

/// <summary>
/// Puts the front end's request id (carried by Orleans' <see cref="RequestContext"/>) on every log line a
/// grain writes for the call, on whichever silo the grain lives.
/// </summary>
public sealed class RequestIdCallFilter(ILogger<RequestIdCallFilter> logger) : IIncomingGrainCallFilter
{
    public const string Key = "gordo-request-id";

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(Key) is string id)
        {
            using (logger.BeginScope(new RequestIdScope(id)))
            {
                await context.Invoke();
            }
        }
        else
        {
            await context.Invoke();
        }
    }
}
