namespace Gordo.GrainInterfaces;

public enum SiloReplyStatus
{
    Ok,
    Error,
    Timeout,
}
