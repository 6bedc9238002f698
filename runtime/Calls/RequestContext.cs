namespace Gordo.Runtime;

/// <summary>Values that flow with a call through the runtime, across awaits and silos (Orleans'
/// RequestContext): the id of the front-end request that caused it.</summary>
public static class RequestContext
{
    private static readonly AsyncLocal<string?> s_requestId = new();

    public static string? RequestId
    {
        get => s_requestId.Value;
        set => s_requestId.Value = value;
    }
}
