namespace Gordo.Api.V2;

/// <summary>An inference request, whichever transport it came by (REST JSON, REST binary, gRPC).</summary>
internal sealed class InferRequest(string? id, List<InferInput> inputs, List<RequestedOutput>? outputs, bool binaryOutputs) : IDisposable
{
    public string? Id { get; } = id;

    public List<InferInput> Inputs { get; } = inputs;

    /// <summary>The outputs asked for, in order; null for the default set.</summary>
    public List<RequestedOutput>? Outputs { get; } = outputs;

    /// <summary>The request-level <c>binary_data_output</c> parameter: every output as binary unless it says otherwise.</summary>
    public bool BinaryOutputs { get; } = binaryOutputs;

    public void Dispose()
    {
        foreach (var input in Inputs)
        {
            input.Dispose();
        }
    }
}
