using Gordo.Runtime;

namespace Gordo.GrainInterfaces;

/// <summary>The wire codecs of <see cref="IModelGrain"/>'s requests and responses.</summary>
public static class ModelGrainCodecs
{
    public static IWireCodec<PredictionRequest> Prediction { get; } = new PredictionCodec();

    public static IWireCodec<AnomalyRequest> Anomaly { get; } = new AnomalyCodec();

    public static IWireCodec<ResultFrame> Result { get; } = new ResultCodec();

    public static IWireCodec<ModelMetadataDocument> Metadata { get; } = new MetadataCodec();

    private sealed class PredictionCodec : IWireCodec<PredictionRequest>
    {
        public void Write(WireWriter writer, PredictionRequest value)
        {
            FrameWire.WriteDataFrame(writer, value.X);
            writer.WriteBoolean(value.Y is not null);
            if (value.Y is { } y)
            {
                FrameWire.WriteDataFrame(writer, y);
            }
        }

        public PredictionRequest Read(ref WireReader reader)
        {
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
    }

    private sealed class AnomalyCodec : IWireCodec<AnomalyRequest>
    {
        public void Write(WireWriter writer, AnomalyRequest value)
        {
            FrameWire.WriteDataFrame(writer, value.X);
            writer.WriteBoolean(value.Y is not null);
            if (value.Y is { } y)
            {
                FrameWire.WriteDataFrame(writer, y);
            }

            writer.WriteBoolean(value.AllColumns);
        }

        public AnomalyRequest Read(ref WireReader reader)
        {
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
    }

    private sealed class ResultCodec : IWireCodec<ResultFrame>
    {
        public void Write(WireWriter writer, ResultFrame value) => FrameWire.WriteResultFrame(writer, value);

        public ResultFrame Read(ref WireReader reader) => FrameWire.ReadResultFrame(ref reader);
    }

    private sealed class MetadataCodec : IWireCodec<ModelMetadataDocument>
    {
        public void Write(WireWriter writer, ModelMetadataDocument value) => writer.WriteBytes(value.Members.Span);

        public ModelMetadataDocument Read(ref WireReader reader) => new(reader.ReadBytes());
    }
}
