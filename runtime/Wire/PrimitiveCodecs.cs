namespace Gordo.Runtime;

/// <summary>Wire codecs of primitive request and response types.</summary>
public static class PrimitiveCodecs
{
    public static IWireCodec<bool> Boolean { get; } = new Codec<bool>(static (w, v) => w.WriteBoolean(v), static (ref WireReader r) => r.ReadBoolean());

    public static IWireCodec<int> Int32 { get; } = new Codec<int>(static (w, v) => w.WriteInt32(v), static (ref WireReader r) => r.ReadInt32());

    public static IWireCodec<long> Int64 { get; } = new Codec<long>(static (w, v) => w.WriteInt64(v), static (ref WireReader r) => r.ReadInt64());

    public static IWireCodec<string> String { get; } = new Codec<string>(static (w, v) => w.WriteString(v), static (ref WireReader r) => r.ReadRequiredString());

    private delegate T Reader<out T>(ref WireReader reader);

    private sealed class Codec<T>(Action<WireWriter, T> write, Reader<T> read) : IWireCodec<T>
    {
        public void Write(WireWriter writer, T value) => write(writer, value);

        public T Read(ref WireReader reader) => read(ref reader);
    }
}
