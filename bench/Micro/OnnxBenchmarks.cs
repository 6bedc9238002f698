using BenchmarkDotNet.Attributes;
using Gordo.Grains.Onnx;
using Gordo.ModelBuilder.Output;
using Microsoft.ML.OnnxRuntime;

namespace Gordo.Bench.Micro;

/// <summary>
/// One ONNX Runtime run of a PCA autoencoder (as gordo-build exports it), through Gordo's session
/// (<see cref="OnnxSession.Run{T}"/> and a copy out to float64, as the model grain does) against the
/// bare Microsoft.ML.OnnxRuntime calls it makes: an OrtValue over the input, Run, the output span.
/// </summary>
[Config(typeof(MicroConfig))]
public class OnnxBenchmarks
{
    private string _directory = null!;
    private OnnxEnvironment _environment = null!;
    private OnnxSession _session = null!;
    private float[] _input = null!;
    private double[] _output = null!;
    private long[] _shape = null!;
    private readonly RunOptions _runOptions = new();

    [Params(1, 100, 10_000)]
    public int Rows { get; set; }

    [Params(10, 50)]
    public int Tags { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("gordo-micro-onnx-").FullName;
        ModelTrainer.Build(new ModelBuildSpec { Name = "micro", Project = "bench", Tags = Tags, Seed = 7, Rows = 2000 }, _directory);
        _environment = OnnxEnvironment.GetOrCreate(new OnnxRuntimeOptions());
        _session = OnnxSession.Create(_environment, File.ReadAllBytes(Path.Combine(_directory, "micro", "model.onnx")));
        _input = new float[Rows * Tags];
        for (var i = 0; i < _input.Length; i++)
        {
            _input[i] = (float)Payloads.Value(i / Tags, i % Tags);
        }

        _output = new double[Rows * Tags];
        _shape = [Rows, Tags];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _runOptions.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "ONNX run, bare Microsoft.ML.OnnxRuntime")]
    public double Bare()
    {
        var (session, inputName, outputName) = _session.LibraryParts;
        using var input = OrtValue.CreateTensorValueFromMemory(_input, _shape);
        using var outputs = session.Run(_runOptions, [inputName], [input], [outputName]);
        var result = outputs[0].GetTensorDataAsSpan<float>();
        for (var i = 0; i < _output.Length; i++)
        {
            _output[i] = result[i];
        }

        return _output[0];
    }

    [Benchmark(Description = "ONNX run, Gordo session")]
    public double Binding()
    {
        using var tensor = _session.Run<float>(_input, _shape);
        tensor.CopyTo(_output);
        return _output[0];
    }
}
