using System.Buffers.Binary;

namespace Gordo.Api.Gordo;

/// <summary>
/// gordo's <c>download-model</c> answer is a pickle, and the gordo client unpickles every download.
/// Gordo's pickle holds one <c>bytes</c> object, the model.onnx file, written with the opcodes
/// PROTO, BINBYTES (BINBYTES8 over 4 GiB) and STOP only: unpickling imports no module and runs no code
/// (no GLOBAL, STACK_GLOBAL or REDUCE), and the result goes straight into
/// <c>onnxruntime.InferenceSession(obj)</c>.
/// </summary>
internal static class ModelPickle
{
    private const byte Proto = 0x80;
    private const byte BinBytes = (byte)'B';
    private const byte BinBytes8 = 0x8e;

    /// <summary>STOP: the end of the pickle.</summary>
    public static ReadOnlyMemory<byte> Trailer { get; } = new[] { (byte)'.' };

    /// <summary>What comes before the file's bytes: protocol 3 (bytes need it), or 4 for BINBYTES8.</summary>
    public static byte[] Header(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= uint.MaxValue)
        {
            var header = new byte[7];
            header[0] = Proto;
            header[1] = 3;
            header[2] = BinBytes;
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(3), (uint)length);
            return header;
        }

        var large = new byte[11];
        large[0] = Proto;
        large[1] = 4;
        large[2] = BinBytes8;
        BinaryPrimitives.WriteUInt64LittleEndian(large.AsSpan(3), (ulong)length);
        return large;
    }
}
