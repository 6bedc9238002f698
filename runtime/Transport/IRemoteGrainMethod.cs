namespace Gordo.Runtime;

/// <summary>A grain method that silos can call on each other: decodes the request, invokes the local
/// activation through the catalog, encodes the response.</summary>
public interface IRemoteGrainMethod
{
    string GrainType { get; }

    string Name { get; }

    /// <summary>Runs the call whose encoded request is <paramref name="request"/> and writes the encoded response.</summary>
    ValueTask InvokeAsync(Catalog catalog, GrainId grainId, ReadOnlyMemory<byte> request, PooledBufferWriter response, CancellationToken cancellationToken);
}
