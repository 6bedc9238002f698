namespace Gordo.Runtime;

/// <summary>Encodes one type for silo-to-silo calls: compact binary, numbers as raw little-endian bytes.</summary>
public interface IWireCodec<T>
{
    void Write(WireWriter writer, T value);

    T Read(ref WireReader reader);
}
