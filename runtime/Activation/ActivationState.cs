namespace Gordo.Runtime;

/// <summary>Life cycle of an activation.</summary>
public enum ActivationState
{
    Activating,
    Valid,
    Deactivating,
    Invalid,
}
