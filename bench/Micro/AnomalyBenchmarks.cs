using BenchmarkDotNet.Attributes;
using Gordo.GrainInterfaces;
using Gordo.Grains.Anomaly;

namespace Gordo.Bench.Micro;

/// <summary>gordo's diff anomaly columns (scaled and unscaled tag and total anomalies, confidences) from a model output and y.</summary>
[Config(typeof(MicroConfig))]
public class AnomalyBenchmarks
{
    private MicroFrames _frames = null!;
    private readonly List<ResultColumnGroup> _groups = new(12);

    [Params(1, 100, 10_000)]
    public int Rows { get; set; }

    [Params(10, 50)]
    public int Tags { get; set; }

    [GlobalSetup]
    public void Setup() => _frames = new MicroFrames(Rows, Tags);

    [GlobalCleanup]
    public void Cleanup() => _frames.Dispose();

    [Benchmark(Description = "anomaly math")]
    public int Anomaly()
    {
        AnomalyFrameBuilder.AddAnomalyGroups(_frames.Detector, _frames.Output, _frames.Request.Y!.Values, Rows, _frames.Tags, includeSmoothed: false, _groups);
        var count = _groups.Count;
        foreach (var group in _groups)
        {
            group.Dispose();
        }

        _groups.Clear();
        return count;
    }
}
