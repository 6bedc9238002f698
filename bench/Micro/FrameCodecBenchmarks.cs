using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Gordo.Frames;

namespace Gordo.Bench.Micro;

/// <summary>
/// Frame decode (request JSON → X, y) and encode (anomaly response → JSON or Parquet), Gordo's codecs
/// against the straightforward System.Text.Json versions, on the gordo client's shapes.
/// </summary>
[Config(typeof(MicroConfig))]
public class FrameCodecBenchmarks
{
    private MicroFrames _frames = null!;
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);

    [Params(1, 100, 10_000)]
    public int Rows { get; set; }

    [Params(10, 50)]
    public int Tags { get; set; }

    [GlobalSetup]
    public void Setup() => _frames = new MicroFrames(Rows, Tags);

    [GlobalCleanup]
    public void Cleanup() => _frames.Dispose();

    [Benchmark(Description = "decode JSON, straightforward")]
    [BenchmarkCategory("decode")]
    public int DecodeStraightforward() => StraightforwardFrameJson.Decode(_frames.Body).X.Length;

    [Benchmark(Description = "decode JSON, Gordo")]
    [BenchmarkCategory("decode")]
    public int DecodeGordo()
    {
        using var frames = FrameJsonReader.ReadRequest(_frames.Body);
        return frames.X.RowCount;
    }

    [Benchmark(Description = "encode JSON, straightforward")]
    [BenchmarkCategory("encode")]
    public int EncodeStraightforward()
    {
        _output.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(_output))
        {
            StraightforwardFrameJson.Encode(writer, _frames.Response, "1700000000000");
        }

        return _output.WrittenCount;
    }

    [Benchmark(Description = "encode JSON, Gordo")]
    [BenchmarkCategory("encode")]
    public int EncodeGordo()
    {
        _output.ResetWrittenCount();
        FrameJsonWriter.WriteResponse(_output, _frames.Response, "0.0012", "1700000000000");
        return _output.WrittenCount;
    }

    [Benchmark(Description = "encode Parquet, Gordo")]
    [BenchmarkCategory("encode")]
    public int EncodeParquet()
    {
        _output.ResetWrittenCount();
        FrameParquetWriter.Write(_output, _frames.Response);
        return _output.WrittenCount;
    }
}
