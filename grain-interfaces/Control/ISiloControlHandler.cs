namespace Gordo.GrainInterfaces;

/// <summary>An operation every silo answers for itself when it is broadcast (cluster-wide admin calls).</summary>
public interface ISiloControlHandler
{
    /// <summary>The operation's name on the wire (letters, digits and dashes).</summary>
    string Operation { get; }

    ValueTask<byte[]> HandleAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
