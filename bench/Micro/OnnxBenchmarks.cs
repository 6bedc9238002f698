using BenchmarkDotNet.Attributes;
using Gordo.Grains.Onnx;
using Gordo.ModelBuilder.Output;

namespace Gordo.Bench.Micro;

/// <summary>
/// One ONNX Runtime run of a PCA autoencoder (as gordo-build exports it), through Gordo's binding
/// (<see cref="OnnxSession.Run{T}"/> and a copy out to float64, as the model grain does) against the
/// bare C API calls it wraps: CreateTensorWithDataAsOrtValue, Run, GetTensorMutableData, ReleaseValue.
/// </summary>
[Config(typeof(MicroConfig))]
public unsafe class OnnxBenchmarks
{
    private string _directory = null!;
    private OnnxEnvironment _environment = null!;
    private OnnxSession _session = null!;
    private float[] _input = null!;
    private double[] _output = null!;
    private long[] _shape = null!;

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
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "ONNX run, bare C API")]
    public double Bare()
    {
        var api = OnnxNative.Api;
        var (session, inputName, outputName) = _session.NativeParts;
        nint input = 0, output = 0;
        fixed (float* data = _input)
        fixed (long* dims = _shape)
        {
            api.Check(api.CreateTensorWithDataAsOrtValue(_environment.CpuMemoryInfo, data, (nuint)(_input.Length * sizeof(float)), dims, 2, (int)OnnxElementType.Float, &input));
            api.Check(api.Run(session, 0, &inputName, &input, 1, &outputName, 1, &output));
            float* result;
            api.Check(api.GetTensorMutableData(output, (void**)&result));
            for (var i = 0; i < _output.Length; i++)
            {
                _output[i] = result[i];
            }

            api.ReleaseValue(output);
            api.ReleaseValue(input);
        }

        return _output[0];
    }

    [Benchmark(Description = "ONNX run, Gordo binding")]
    public double Binding()
    {
        using var tensor = _session.Run<float>(_input, _shape);
        tensor.CopyTo(_output);
        return _output[0];
    }
}
