namespace Gordo.Runtime;

public sealed class NoArgumentsCodec : IWireCodec<NoArguments>
{
    public static NoArgumentsCodec Instance { get; } = new();

    public void Write(WireWriter writer, NoArguments value)
    {
    }

    public NoArguments Read(ref WireReader reader) => NoArguments.Value;
}
