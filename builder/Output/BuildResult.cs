using Gordo.ModelBuilder.Data;
using Gordo.ModelBuilder.Training;

namespace Gordo.ModelBuilder.Output;

/// <summary>What a build wrote, the trained model and its data, and how the exported graph compared with the managed model.</summary>
public sealed record BuildResult(
    string Directory,
    string[] Tags,
    string[] Targets,
    int ModelOffset,
    double MaxOnnxDeviation,
    TimeSpan Duration,
    SensorDataset Data,
    PcaAutoencoder Model,
    DetectorFit? Detector);
