namespace Gordo.ModelBuilder.Onnx;

/// <summary>A constant tensor of the graph (weights), with its raw little-endian bytes.</summary>
public sealed record OnnxInitializer(string Name, OnnxDataType DataType, long[] Dims, byte[] RawData)
{
    public static OnnxInitializer Floats(string name, long[] dims, ReadOnlySpan<double> values, OnnxDataType type)
    {
        var raw = type switch
        {
            OnnxDataType.Float => ToBytes(values, static v => BitConverter.GetBytes((float)v)),
            OnnxDataType.Double => ToBytes(values, static v => BitConverter.GetBytes(v)),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return new OnnxInitializer(name, type, dims, raw);
    }

    public static OnnxInitializer Int64s(string name, params long[] values)
    {
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(raw.AsSpan(i * 8), values[i]);
        }

        return new OnnxInitializer(name, OnnxDataType.Int64, [values.Length], raw);
    }

    private static byte[] ToBytes(ReadOnlySpan<double> values, Func<double, byte[]> convert)
    {
        var bytes = new List<byte>(values.Length * 8);
        foreach (var value in values)
        {
            bytes.AddRange(convert(value));
        }

        return [.. bytes];
    }
}
