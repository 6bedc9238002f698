using System.Text;
using Gordo.GrainInterfaces;
using Gordo.Frames;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Gordo.Tests.Wire;

/// <summary>The silo-to-silo encoding of requests and results: exact round trips, and damaged
/// messages refused with <see cref="WireFormatException"/> (never an overrun or a huge allocation).</summary>
public sealed class FrameWireTests
{
    private static AnomalyRequest Request(string json, bool allColumns)
    {
        var frames = FrameJsonReader.ReadRequest(Encoding.UTF8.GetBytes(json));
        return new AnomalyRequest(frames.X, frames.Y, allColumns);
    }

    private static byte[] Encode<T>(IConverter<T, FrameBytes> codec, T value) => codec.ConvertToSurrogate(value).Bytes;

    private static T Decode<T>(IConverter<T, FrameBytes> codec, byte[] bytes) => codec.ConvertFromSurrogate(new FrameBytes { Bytes = bytes });

    private static class ModelGrainCodecs
    {
        public static readonly AnomalyRequestConverter Anomaly = new();
        public static readonly ResultFrameConverter Result = new();
    }

    [Fact]
    public void Orleans_serializer_carries_requests_as_frame_bytes_and_keeps_local_calls_uncopied()
    {
        using var services = new ServiceCollection().AddSerializer(b => b.AddAssembly(typeof(FrameBytes).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        using var request = Request("{\"X\": {\"a\": {\"2020-01-01T00:00:00+01:00\": 1.5}}, \"y\": {\"a\": [2.5]}}", allColumns: true);
        var bytes = serializer.SerializeToArray(request);
        using var decoded = serializer.Deserialize<AnomalyRequest>(bytes)!;
        AssertSame(request.X, decoded.X);
        AssertSame(request.Y!, decoded.Y!);
        Assert.True(decoded.AllColumns);

        // [Immutable]: Orleans' copier (what a call within one silo uses) passes the same object.
        var copier = services.GetRequiredService<DeepCopier>();
        Assert.Same(request, copier.Copy(request));
    }

    [Theory]
    [InlineData("{\"X\": {\"a\": {\"2020-01-01T00:00:00+01:00\": 1.5, \"2020-01-01T00:10:00+01:00\": null}, \"b\": {\"2020-01-01T00:00:00+01:00\": -2}}, \"y\": {\"a\": [1, 2]}}")]
    [InlineData("{\"X\": {\"a\": {\"2020-01-01 00:00:00\": 1}}}")]
    [InlineData("{\"X\": {\"a\": {\"7\": 1, \"3\": 2}}}")]
    [InlineData("{\"X\": [[1, 2], [3, 4]]}")]
    [InlineData("{\"X\": []}")]
    public void Requests_round_trip_exactly(string json)
    {
        using var request = Request(json, allColumns: true);
        using var decoded = Decode(ModelGrainCodecs.Anomaly, Encode(ModelGrainCodecs.Anomaly, request));
        AssertSame(request.X, decoded.X);
        Assert.Equal(request.Y is null, decoded.Y is null);
        if (request.Y is not null)
        {
            AssertSame(request.Y, decoded.Y!);
        }

        Assert.True(decoded.AllColumns);
    }

    [Fact]
    public void Results_round_trip_exactly()
    {
        var ticks = System.Buffers.ArrayPool<long>.Shared.Rent(2);
        var offsets = System.Buffers.ArrayPool<short>.Shared.Rent(2);
        new long[] { 637134336000000000, 637134342000000000 }.CopyTo(ticks, 0);
        new short[] { 60, 60 }.CopyTo(offsets, 0);
        var index = FrameIndex.Timestamps(ticks, offsets, 2);
        var group = ResultColumnGroup.Create("model-output", ["a", "b"], 2);
        new double[] { 1.5, double.NaN, double.PositiveInfinity, -0.0 }.CopyTo(group.Values);
        var single = ResultColumnGroup.Create("total-anomaly-scaled", [string.Empty], 2);
        new double[] { 0.25, 1e-300 }.CopyTo(single.Values);
        using var frame = new ResultFrame(index, TimeSpan.FromMinutes(10), [group, single]);
        using var decoded = Decode(ModelGrainCodecs.Result, Encode(ModelGrainCodecs.Result, frame));
        Assert.Equal(TimeSpan.FromMinutes(10), decoded.Resolution);
        Assert.Equal(frame.Index.Values.ToArray(), decoded.Index.Values.ToArray());
        Assert.Equal(frame.Index.OffsetMinutes.ToArray(), decoded.Index.OffsetMinutes.ToArray());
        Assert.Equal(["model-output", "total-anomaly-scaled"], decoded.Groups.Select(g => g.Name));
        Assert.Equal(frame.Groups[0].Values.ToArray().Select(BitConverter.DoubleToInt64Bits), decoded.Groups[0].Values.ToArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.True(decoded.Groups[1].IsSingleColumn);
    }

    [Fact]
    public void Every_truncation_and_many_corruptions_are_refused_cleanly()
    {
        using var request = Request("{\"X\": {\"a\": {\"2020-01-01T00:00:00Z\": 1.5, \"2020-01-01T00:10:00Z\": 2}}, \"y\": {\"a\": [1, 2]}}", allColumns: false);
        var bytes = Encode(ModelGrainCodecs.Anomaly, request);
        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = bytes[..length];
            Assert.Throws<WireFormatException>(() => Decode(ModelGrainCodecs.Anomaly, truncated).Dispose());
        }

        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            try
            {
                Decode(ModelGrainCodecs.Anomaly, damaged).Dispose();
            }
            catch (Exception ex) when (ex is WireFormatException or OverflowException)
            {
            }
        }
    }

    private static void AssertSame(DataFrame expected, DataFrame actual)
    {
        Assert.Equal(expected.ColumnNames, actual.ColumnNames);
        Assert.Equal(expected.HasPositionalColumns, actual.HasPositionalColumns);
        Assert.Equal(expected.Index.Kind, actual.Index.Kind);
        Assert.Equal(expected.Index.Count, actual.Index.Count);
        Assert.Equal(expected.Index.RangeStart, actual.Index.RangeStart);
        Assert.Equal(expected.Index.Values.ToArray(), actual.Index.Values.ToArray());
        Assert.Equal(expected.Index.OffsetMinutes.ToArray(), actual.Index.OffsetMinutes.ToArray());
        Assert.Equal(expected.Values.ToArray().Select(BitConverter.DoubleToInt64Bits), actual.Values.ToArray().Select(BitConverter.DoubleToInt64Bits));
    }
}
