namespace Gordo.Runtime;

public enum SiloReplyStatus
{
    Ok,
    Error,
    Timeout,
}
