namespace Gordo.Runtime;

/// <summary>No silo can take a grain call right now (empty membership view, or the owner is unreachable).</summary>
public sealed class NoSiloAvailableException(string message) : Exception(message);
