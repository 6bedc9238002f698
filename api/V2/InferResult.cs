namespace Gordo.Api.V2;

/// <summary>An inference answer: the model and revision that ran and the outputs in the order asked.</summary>
internal sealed class InferResult(string model, string version, string? id, List<InferOutput> outputs) : IDisposable
{
    public string Model { get; } = model;

    public string Version { get; } = version;

    public string? Id { get; } = id;

    public List<InferOutput> Outputs { get; } = outputs;

    public void Dispose()
    {
        foreach (var output in Outputs)
        {
            output.Dispose();
        }
    }
}
