using System.Globalization;
using BenchmarkDotNet.Attributes;
using Gordo.Frames.Json;

namespace Gordo.Bench.Micro;

/// <summary>
/// Python's float repr of 4 096 values as a model answers them (float32 widened to float64: 16-17
/// digits each), against .NET's own shortest round-trip formatter into the same UTF-8 buffer.
/// </summary>
[Config(typeof(MicroConfig))]
public class PythonFloatBenchmarks
{
    private readonly double[] _values = new double[4096];
    private readonly byte[] _buffer = new byte[PythonFloat.MaxLength];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = (float)((random.NextDouble() * 200) - 50);
        }
    }

    [Benchmark(Baseline = true, Description = ".NET double.TryFormat (shortest, UTF-8)")]
    public int DotNet()
    {
        var total = 0;
        foreach (var value in _values)
        {
            value.TryFormat(_buffer, out var written, default, CultureInfo.InvariantCulture);
            total += written;
        }

        return total;
    }

    [Benchmark(Description = "PythonFloat.Format")]
    public int Gordo()
    {
        var total = 0;
        foreach (var value in _values)
        {
            total += PythonFloat.Format(value, _buffer);
        }

        return total;
    }
}
