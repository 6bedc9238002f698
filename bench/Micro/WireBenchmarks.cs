using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gordo.GrainInterfaces;
using Gordo.Runtime;

namespace Gordo.Bench.Micro;

/// <summary>A remote grain call's payloads through the wire codecs: the anomaly request (X, y) out, the response frame back.</summary>
[Config(typeof(MicroConfig))]
public class WireBenchmarks
{
    private MicroFrames _frames = null!;
    private AnomalyRequest _request = null!;
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
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
        _requestBytes = Encode(_request, ModelGrainCodecs.Anomaly);
        _responseBytes = Encode(_frames.Response, ModelGrainCodecs.Result);
    }

    [GlobalCleanup]
    public void Cleanup() => _frames.Dispose();

    [Benchmark(Description = "wire encode request")]
    public int EncodeRequest()
    {
        _output.ResetWrittenCount();
        ModelGrainCodecs.Anomaly.Write(new WireWriter(_output), _request);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "wire decode request")]
    public int DecodeRequest()
    {
        var reader = new WireReader(_requestBytes);
        var request = ModelGrainCodecs.Anomaly.Read(ref reader);
        request.X.Dispose();
        request.Y?.Dispose();
        return request.X.ColumnCount;
    }

    [Benchmark(Description = "wire encode response")]
    public int EncodeResponse()
    {
        _output.ResetWrittenCount();
        ModelGrainCodecs.Result.Write(new WireWriter(_output), _frames.Response);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "wire decode response")]
    public int DecodeResponse()
    {
        var reader = new WireReader(_responseBytes);
        using var frame = ModelGrainCodecs.Result.Read(ref reader);
        return frame.RowCount;
    }

    private static byte[] Encode<T>(T value, IWireCodec<T> codec)
    {
        var buffer = new ArrayBufferWriter<byte>();
        codec.Write(new WireWriter(buffer), value);
        return buffer.WrittenSpan.ToArray();
    }
}
