namespace Gordo.ModelBuilder.Output;

/// <summary>What a build wrote, and how the exported graph compared with the managed model.</summary>
public sealed record BuildResult(string Directory, string[] Tags, string[] Targets, int ModelOffset, double MaxOnnxDeviation, TimeSpan Duration);
