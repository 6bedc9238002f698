namespace Gordo.GrainInterfaces;

/// <summary>A silo-to-silo message that cannot be decoded (truncated, or sizes that do not fit).</summary>
public sealed class WireFormatException(string message) : Exception(message);
