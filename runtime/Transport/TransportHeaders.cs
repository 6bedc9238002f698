namespace Gordo.Runtime;

/// <summary>Paths and headers of the silo-to-silo protocol (HTTP/2 on the silo port).</summary>
public static class TransportHeaders
{
    public const string CallPath = "/gordo-internal/v1/call";
    public const string ControlPath = "/gordo-internal/v1/control/";
    public const string PathPrefix = "/gordo-internal/";

    /// <summary>The grain, <c>type/key</c>.</summary>
    public const string Grain = "gordo-grain";

    public const string Method = "gordo-method";

    /// <summary>The silo the caller meant (address with generation): a restarted silo refuses calls meant for its predecessor.</summary>
    public const string Target = "gordo-target";

    /// <summary>Milliseconds the callee has before the caller gives up.</summary>
    public const string Timeout = "gordo-timeout-ms";

    /// <summary>The request id of the front-end request that caused the call.</summary>
    public const string RequestId = "gordo-request-id";

    /// <summary>
    /// <c>ok</c>; <c>error</c> with an error envelope as the body; or <c>refused</c> when the silo did not
    /// take the call (with the reason as text). A response without it did not come from a Gordo silo.
    /// </summary>
    public const string Result = "gordo-result";

    public const string Refused = "refused";

    public const string ContentType = "application/x-gordo-wire";
}
