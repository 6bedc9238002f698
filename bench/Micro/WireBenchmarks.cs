using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gordo.GrainInterfaces;

namespace Gordo.Bench.Micro;

/// <summary>A remote grain call's payloads through Orleans' frame surrogates (<see cref="FrameSurrogates"/>): the anomaly request (X, y) out, the response frame back.</summary>
[Config(typeof(MicroConfig))]
public class WireBenchmarks
{
    private MicroFrames _frames = null!;
    private AnomalyRequest _request = null!;
    private readonly AnomalyRequestConverter _anomaly = new();
    private readonly ResultFrameConverter _result = new();
    private byte[] _requestBytes = [];
    private byte[] _responseBytes = [];

    [Params(1, 100, 10_000)]
    public int Rows { get; set; }

    [Params(10, 50)]
    public int Tags { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frames = new MicroFrames(Rows, Tags);
        _request = new AnomalyRequest(_frames.Request.X, _frames.Request.Y, AllColumns: false);
        _requestBytes = _anomaly.ConvertToSurrogate(_request).Bytes;
        _responseBytes = _result.ConvertToSurrogate(_frames.Response).Bytes;
    }

    [GlobalCleanup]
    public void Cleanup() => _frames.Dispose();

    [Benchmark(Description = "wire encode request")]
    public int EncodeRequest()
    {
        return _anomaly.ConvertToSurrogate(_request).Bytes.Length;
    }

    [Benchmark(Description = "wire decode request")]
    public int DecodeRequest()
    {
        var request = _anomaly.ConvertFromSurrogate(new FrameBytes { Bytes = _requestBytes });
        request.X.Dispose();
        request.Y?.Dispose();
        return request.X.ColumnCount;
    }

    [Benchmark(Description = "wire encode response")]
    public int EncodeResponse()
    {
        return _result.ConvertToSurrogate(_frames.Response).Bytes.Length;
    }

    [Benchmark(Description = "wire decode response")]
    public int DecodeResponse()
    {
        using var frame = _result.ConvertFromSurrogate(new FrameBytes { Bytes = _responseBytes });
        return frame.RowCount;
    }
}
