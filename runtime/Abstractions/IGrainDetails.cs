namespace Gordo.Runtime;

/// <summary>Implemented by grains that have more to say in diagnostics than the runtime knows (e.g. a model's load time).</summary>
public interface IGrainDetails
{
    IReadOnlyDictionary<string, string> Details { get; }
}
