namespace Gordo.Runtime;

/// <summary>Marker for grain interfaces: the contract callers use through a grain reference.</summary>
public interface IGrain;
