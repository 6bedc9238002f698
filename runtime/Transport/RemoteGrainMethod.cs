namespace Gordo.Runtime;

/// <summary>The typed <see cref="IRemoteGrainMethod"/> of one <see cref="GrainMethod{TGrain,TRequest,TResponse}"/>.
/// Requests and responses that own pooled storage are disposed once written.</summary>
public sealed class RemoteGrainMethod<TGrain, TRequest, TResponse>(string grainType, GrainMethod<TGrain, TRequest, TResponse> method)
    : IRemoteGrainMethod
    where TGrain : IGrain
{
    public string GrainType { get; } = grainType;

    public string Name => method.Name;

    public async ValueTask InvokeAsync(Catalog catalog, GrainId grainId, ReadOnlyMemory<byte> request, PooledBufferWriter response, CancellationToken cancellationToken)
    {
        var decoded = Decode(request.Span);
        try
        {
            var result = await catalog.InvokeAsync(grainId, method, decoded, cancellationToken).ConfigureAwait(false);
            try
            {
                method.ResponseCodec.Write(new WireWriter(response), result);
            }
            finally
            {
                (result as IDisposable)?.Dispose();
            }
        }
        finally
        {
            (decoded as IDisposable)?.Dispose();
        }
    }

    private TRequest Decode(ReadOnlySpan<byte> request)
    {
        var reader = new WireReader(request);
        var value = method.RequestCodec.Read(ref reader);
        if (reader.Remaining != 0)
        {
            (value as IDisposable)?.Dispose();
            throw new WireFormatException($"{reader.Remaining} bytes follow the {method} request.");
        }

        return value;
    }
}
