namespace Gordo.Runtime;

/// <summary>
/// A grain call did not complete within its deadline (<see cref="SiloOptions.CallTimeout"/>): the owning
/// silo is alive as far as the membership knows but did not answer in time. The caller answers 503,
/// as for an unreachable owner: the request was not served, and a retry later may be.
/// </summary>
public sealed class GrainCallTimeoutException(string message, Exception? inner = null) : TimeoutException(message, inner), IGrainErrorStatus
{
    public int StatusCode => 503;

    public string ErrorKey => "error";
}
