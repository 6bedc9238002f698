namespace Gordo.ModelBuilder.Cli;

/// <summary>A command line that cannot be run; the message says why.</summary>
internal sealed class UsageException(string message) : Exception(message);
