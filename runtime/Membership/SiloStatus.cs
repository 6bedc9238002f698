namespace Gordo.Runtime;

/// <summary>A silo's status in the membership table.</summary>
public enum SiloStatus
{
    Joining,
    Active,
    ShuttingDown,
    Dead,
}
