namespace Gordo.Api.Cluster;

/// <summary>503: the cluster did not answer within the request's deadline (Retry-After applies).</summary>
public sealed class ClusterUnavailableException(string message) : GordoException(StatusCodes.Status503ServiceUnavailable, message)
{
    public int RetryAfterSeconds => 5;
}
