namespace Gordo.ModelBuilder.Onnx;

/// <summary>A graph node: an operator applied to named values.</summary>
public sealed record OnnxNode(string OpType, string[] Inputs, string[] Outputs, string Name);
