namespace Gordo.Api.V2;

/// <summary>A tensor in the model metadata: name, datatype, shape (-1 for the rows).</summary>
internal sealed record TensorMetadata(string Name, TensorDatatype Datatype, long[] Shape);
