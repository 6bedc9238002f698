using Google.Protobuf;

namespace Gordo.ModelBuilder.Onnx;

/// <summary>
/// Writes an ONNX <c>ModelProto</c> with Google.Protobuf's coded streams. Field numbers are those of
/// onnx.proto: ModelProto (ir_version 1, producer_name 2, producer_version 3, domain 4,
/// model_version 5, doc_string 6, graph 7, opset_import 8, metadata_props 14), GraphProto (node 1,
/// name 2, initializer 5, doc_string 10, input 11, output 12), NodeProto (input 1, output 2, name 3,
/// op_type 4), TensorProto (dims 1, data_type 2, name 8, raw_data 9), ValueInfoProto (name 1,
/// type 2), TypeProto (tensor_type 1), TypeProto.Tensor (elem_type 1, shape 2), TensorShapeProto
/// (dim 1), Dimension (dim_value 1, dim_param 2), OperatorSetIdProto (domain 1, version 2),
/// StringStringEntryProto (key 1, value 2).
/// </summary>
public sealed class OnnxModelWriter
{
    public const long IrVersion = 8;
    public const long Opset = 17;

    public required string GraphName { get; init; }

    public required string InputName { get; init; }

    public required string OutputName { get; init; }

    public required OnnxDataType ElementType { get; init; }

    /// <summary>Input shape; a null dimension is dynamic (named <c>N</c>).</summary>
    public required long?[] InputShape { get; init; }

    public required long?[] OutputShape { get; init; }

    public List<OnnxNode> Nodes { get; } = [];

    public List<OnnxInitializer> Initializers { get; } = [];

    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    public string ProducerName { get; init; } = "gordo-build";

    public string ProducerVersion { get; init; } = "0";

    public string DocString { get; init; } = string.Empty;

    public byte[] ToBytes() => Message(model =>
    {
        model.WriteTag(1, WireFormat.WireType.Varint);
        model.WriteInt64(IrVersion);
        WriteString(model, 2, ProducerName);
        WriteString(model, 3, ProducerVersion);
        WriteString(model, 4, "ai.gordo");
        model.WriteTag(5, WireFormat.WireType.Varint);
        model.WriteInt64(1);
        if (DocString.Length > 0)
        {
            WriteString(model, 6, DocString);
        }

        WriteMessage(model, 7, WriteGraph);
        WriteMessage(model, 8, opset =>
        {
            WriteString(opset, 1, string.Empty);
            opset.WriteTag(2, WireFormat.WireType.Varint);
            opset.WriteInt64(Opset);
        });
        foreach (var (key, value) in Metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            WriteMessage(model, 14, entry =>
            {
                WriteString(entry, 1, key);
                WriteString(entry, 2, value);
            });
        }
    });

    private void WriteGraph(CodedOutputStream graph)
    {
        foreach (var node in Nodes)
        {
            WriteMessage(graph, 1, n =>
            {
                foreach (var input in node.Inputs)
                {
                    WriteString(n, 1, input);
                }

                foreach (var output in node.Outputs)
                {
                    WriteString(n, 2, output);
                }

                WriteString(n, 3, node.Name);
                WriteString(n, 4, node.OpType);
            });
        }

        WriteString(graph, 2, GraphName);
        foreach (var initializer in Initializers)
        {
            WriteMessage(graph, 5, tensor =>
            {
                foreach (var dim in initializer.Dims)
                {
                    tensor.WriteTag(1, WireFormat.WireType.Varint);
                    tensor.WriteInt64(dim);
                }

                tensor.WriteTag(2, WireFormat.WireType.Varint);
                tensor.WriteInt32((int)initializer.DataType);
                WriteString(tensor, 8, initializer.Name);
                tensor.WriteTag(9, WireFormat.WireType.LengthDelimited);
                tensor.WriteBytes(ByteString.CopyFrom(initializer.RawData));
            });
        }

        WriteMessage(graph, 11, v => WriteValueInfo(v, InputName, InputShape));
        WriteMessage(graph, 12, v => WriteValueInfo(v, OutputName, OutputShape));
    }

    private void WriteValueInfo(CodedOutputStream valueInfo, string name, long?[] shape)
    {
        WriteString(valueInfo, 1, name);
        WriteMessage(valueInfo, 2, type => WriteMessage(type, 1, tensor =>
        {
            tensor.WriteTag(1, WireFormat.WireType.Varint);
            tensor.WriteInt32((int)ElementType);
            WriteMessage(tensor, 2, shapeProto =>
            {
                foreach (var dim in shape)
                {
                    WriteMessage(shapeProto, 1, d =>
                    {
                        if (dim is { } value)
                        {
                            d.WriteTag(1, WireFormat.WireType.Varint);
                            d.WriteInt64(value);
                        }
                        else
                        {
                            WriteString(d, 2, "N");
                        }
                    });
                }
            });
        }));
    }

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    /// <summary>Writes a nested message as a length-delimited field (serialised first to learn its size).</summary>
    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(Message(write)));
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var coded = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(coded);
            coded.Flush();
        }

        return stream.ToArray();
    }
}
