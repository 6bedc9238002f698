using System.Buffers;
using System.Text.Json;

namespace Gordo.Api.V2;

/// <summary>
/// Writes the REST inference answer: <c>model_name</c>, <c>model_version</c>, <c>id</c> and the outputs
/// with their data in JSON (non-finite values, which JSON cannot hold, as null), or, for outputs asked
/// as binary, <c>binary_data_size</c> in the JSON header and the raw little-endian bytes after it.
/// </summary>
internal static class InferResponseWriter
{
    /// <summary>Writes the answer and returns the JSON header's length when binary data follows it, else null.</summary>
    public static int? Write(IBufferWriter<byte> output, InferResult result)
    {
        var counting = new CountingWriter(output);
        using (var json = new Utf8JsonWriter(counting))
        {
            json.WriteStartObject();
            json.WriteString("model_name", result.Model);
            json.WriteString("model_version", result.Version);
            if (result.Id is { } id)
            {
                json.WriteString("id", id);
            }

            json.WriteStartArray("outputs");
            foreach (var tensor in result.Outputs)
            {
                json.WriteStartObject();
                TensorJson.WriteHead(json, tensor.Name, tensor.Datatype, tensor.Shape);
                if (tensor.Binary)
                {
                    json.WriteStartObject("parameters");
                    json.WriteNumber("binary_data_size", tensor.ByteCount);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteStartArray("data");
                    WriteValues(json, tensor);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var header = counting.Written;
        var binary = false;
        foreach (var tensor in result.Outputs)
        {
            if (tensor.Binary)
            {
                var span = output.GetSpan(tensor.ByteCount);
                tensor.WriteBytes(span);
                output.Advance(tensor.ByteCount);
                binary = true;
            }
        }

        return binary ? header : null;
    }

    private static void WriteValues(Utf8JsonWriter json, InferOutput tensor)
    {
        var values = tensor.Values;
        var single = tensor.Datatype == TensorDatatype.FP32;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                json.WriteNullValue();
            }
            else if (single)
            {
                json.WriteNumberValue((float)value);
            }
            else
            {
                json.WriteNumberValue(value);
            }
        }
    }

    /// <summary>Counts what the JSON writer writes, so the binary data's offset (the header length) is known.</summary>
    private sealed class CountingWriter(IBufferWriter<byte> inner) : IBufferWriter<byte>
    {
        public int Written { get; private set; }

        public void Advance(int count)
        {
            Written += count;
            inner.Advance(count);
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}
