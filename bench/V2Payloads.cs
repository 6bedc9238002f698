using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Gordo.Api.V2.Grpc.Protocol;

namespace Gordo.Bench;

/// <summary>
/// The same rows as <see cref="Payloads"/> (X and y of a bench model) as Open Inference Protocol requests:
/// REST JSON, REST with the binary tensor data extension (binary outputs too), and a gRPC
/// <c>ModelInferRequest</c> with raw contents. No <c>outputs</c>: the model's graph output and the
/// anomaly columns gordo's anomaly route answers.
/// </summary>
public static class V2Payloads
{
    public static byte[] Json(string inputName, string datatype, string[] tags, string[] targets, int rows)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("inputs");
            foreach (var (name, type, columns) in Inputs(inputName, datatype, tags, targets))
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("datatype", type);
                WriteShape(json, rows, columns.Length);
                json.WriteStartArray("data");
                foreach (var value in Values(tags, columns, rows))
                {
                    json.WriteNumberValue(value);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The body and its JSON header's length (<c>Inference-Header-Content-Length</c>).</summary>
    public static (byte[] Body, int HeaderLength) Binary(string inputName, string datatype, string[] tags, string[] targets, int rows)
    {
        var header = new MemoryStream();
        var data = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            json.WriteStartObject("parameters");
            json.WriteBoolean("binary_data_output", true);
            json.WriteEndObject();
            json.WriteStartArray("inputs");
            foreach (var (name, type, columns) in Inputs(inputName, datatype, tags, targets))
            {
                var bytes = Bytes(type, Values(tags, columns, rows));
                data.Write(bytes);
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("datatype", type);
                WriteShape(json, rows, columns.Length);
                json.WriteStartObject("parameters");
                json.WriteNumber("binary_data_size", bytes.Length);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return ([.. header.ToArray(), .. data.ToArray()], (int)header.Length);
    }

    public static byte[] Grpc(string model, string inputName, string datatype, string[] tags, string[] targets, int rows)
    {
        var request = new ModelInferRequest { ModelName = model };
        foreach (var (name, type, columns) in Inputs(inputName, datatype, tags, targets))
        {
            request.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = name, Datatype = type, Shape = { rows, columns.Length } });
            request.RawInputContents.Add(ByteString.CopyFrom(Bytes(type, Values(tags, columns, rows))));
        }

        return request.ToByteArray();
    }

    private static IEnumerable<(string Name, string Datatype, string[] Columns)> Inputs(string inputName, string datatype, string[] tags, string[] targets) =>
        [(inputName, datatype, tags), ("y", "FP64", targets)];

    private static double[] Values(string[] tags, string[] columns, int rows)
    {
        var values = new double[rows * columns.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                values[(r * columns.Length) + c] = Payloads.Value(r, Array.IndexOf(tags, columns[c]));
            }
        }

        return values;
    }

    private static byte[] Bytes(string datatype, double[] values)
    {
        var size = datatype == "FP32" ? 4 : 8;
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            if (size == 4)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)values[i]);
            }
            else
            {
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
            }
        }

        return bytes;
    }

    private static void WriteShape(Utf8JsonWriter json, int rows, int columns)
    {
        json.WriteStartArray("shape");
        json.WriteNumberValue(rows);
        json.WriteNumberValue(columns);
        json.WriteEndArray();
    }
}
