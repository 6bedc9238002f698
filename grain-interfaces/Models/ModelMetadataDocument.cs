namespace Gordo.GrainInterfaces;

/// <summary>
/// The body of a model's <c>/metadata</c> response without the trailing <c>revision</c> key: the UTF-8
/// JSON members (<c>"checksum": ..., "env": ..., "gordo-server-version": ..., "metadata": ...</c>),
/// rendered once per activation, sorted as gordo's <c>jsonify</c> sorts them.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class ModelMetadataDocument(byte[] members)
{
    [Id(0)]
    private readonly byte[] _members = members;

    public ReadOnlyMemory<byte> Members => _members;
}
