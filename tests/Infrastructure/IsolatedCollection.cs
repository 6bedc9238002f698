namespace Gordo.Tests.Infrastructure;

/// <summary>Tests that measure the whole process (memory) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedCollection
{
    public const string Name = "Isolated (process-wide measurements)";
}
