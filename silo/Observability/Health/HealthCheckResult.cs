namespace Gordo.Silo;

/// <summary>One check's outcome: passed or not, with its level, duration and what it found.</summary>
public sealed record HealthCheckResult(string Name, int Level, bool Passed, TimeSpan Timing, string? Message);
