using Orleans.Serialization.Cloning;

namespace Gordo.GrainInterfaces;

/// <summary>
/// How Orleans carries Gordo's frames between silos: each request or result is one <see cref="FrameWire"/>
/// byte array (numbers as raw float64 bytes, not element by element). Within one silo nothing is
/// copied: the request types are <c>[Immutable]</c> and results have a copier that passes them on.
/// </summary>
public static class FrameSurrogates
{
    internal static byte[] Encode<T>(T value, Action<WireWriter, T> write)
    {
        using var buffer = new PooledBufferWriter(4096);
        write(new WireWriter(buffer), value);
        return buffer.WrittenMemory.ToArray();
    }

    internal static void WritePrediction(WireWriter writer, PredictionRequest value)
    {
        FrameWire.WriteDataFrame(writer, value.X);
        writer.WriteBoolean(value.Y is not null);
        if (value.Y is { } y)
        {
            FrameWire.WriteDataFrame(writer, y);
        }
    }

    internal static PredictionRequest ReadPrediction(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        var x = FrameWire.ReadDataFrame(ref reader);
        try
        {
            return new PredictionRequest(x, reader.ReadBoolean() ? FrameWire.ReadDataFrame(ref reader) : null);
        }
        catch
        {
            x.Dispose();
            throw;
        }
    }

    internal static void WriteAnomaly(WireWriter writer, AnomalyRequest value)
    {
        WritePrediction(writer, new PredictionRequest(value.X, value.Y));
        writer.WriteBoolean(value.AllColumns);
    }

    internal static AnomalyRequest ReadAnomaly(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        var x = FrameWire.ReadDataFrame(ref reader);
        DataFrame? y = null;
        try
        {
            y = reader.ReadBoolean() ? FrameWire.ReadDataFrame(ref reader) : null;
            return new AnomalyRequest(x, y, reader.ReadBoolean());
        }
        catch
        {
            x.Dispose();
            y?.Dispose();
            throw;
        }
    }

    internal static ResultFrame ReadResult(ReadOnlySpan<byte> bytes)
    {
        var reader = new WireReader(bytes);
        return FrameWire.ReadResultFrame(ref reader);
    }
}

/// <summary>The bytes of one frame message on the wire.</summary>
[GenerateSerializer]
public struct FrameBytes
{
    [Id(0)]
    public byte[] Bytes;
}

[RegisterConverter]
public sealed class PredictionRequestConverter : IConverter<PredictionRequest, FrameBytes>
{
    public PredictionRequest ConvertFromSurrogate(in FrameBytes surrogate) => FrameSurrogates.ReadPrediction(surrogate.Bytes);

    public FrameBytes ConvertToSurrogate(in PredictionRequest value) => new() { Bytes = FrameSurrogates.Encode(value, FrameSurrogates.WritePrediction) };
}

[RegisterConverter]
public sealed class AnomalyRequestConverter : IConverter<AnomalyRequest, FrameBytes>
{
    public AnomalyRequest ConvertFromSurrogate(in FrameBytes surrogate) => FrameSurrogates.ReadAnomaly(surrogate.Bytes);

    public FrameBytes ConvertToSurrogate(in AnomalyRequest value) => new() { Bytes = FrameSurrogates.Encode(value, FrameSurrogates.WriteAnomaly) };
}

[RegisterConverter]
public sealed class ResultFrameConverter : IConverter<ResultFrame, FrameBytes>
{
    public ResultFrame ConvertFromSurrogate(in FrameBytes surrogate) => FrameSurrogates.ReadResult(surrogate.Bytes);

    public FrameBytes ConvertToSurrogate(in ResultFrame value) => new() { Bytes = FrameSurrogates.Encode(value, FrameWire.WriteResultFrame) };
}

/// <summary>A result is not touched after the grain returns it: a call within the silo passes it on.</summary>
[RegisterCopier]
public sealed class ResultFrameCopier : IDeepCopier<ResultFrame>
{
    public ResultFrame? DeepCopy(ResultFrame? input, CopyContext context) => input;
}
