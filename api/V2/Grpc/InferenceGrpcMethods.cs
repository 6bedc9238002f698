using Google.Protobuf;
using Gordo.Api.V2.Grpc.Protocol;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace Gordo.Api.V2.Grpc;

/// <summary>
/// Binds <see cref="InferenceGrpcService"/>'s methods under the protocol's names. The generated
/// binding's marshaller lets a message that does not parse escape as UNKNOWN ("Exception was thrown
/// by handler"); these marshallers answer it INVALID_ARGUMENT with the parser's reason, as every other
/// malformed request is answered.
/// </summary>
internal sealed class InferenceGrpcMethods : IServiceMethodProvider<InferenceGrpcService>
{
    private const string ServiceName = "inference.GRPCInferenceService";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<InferenceGrpcService> context)
    {
        Add(context, "ServerLive", ServerLiveRequest.Parser, (s, r, c) => s.ServerLive(r, c));
        Add(context, "ServerReady", ServerReadyRequest.Parser, (s, r, c) => s.ServerReady(r, c));
        Add(context, "ModelReady", ModelReadyRequest.Parser, (s, r, c) => s.ModelReady(r, c));
        Add(context, "ServerMetadata", ServerMetadataRequest.Parser, (s, r, c) => s.ServerMetadata(r, c));
        Add(context, "ModelMetadata", ModelMetadataRequest.Parser, (s, r, c) => s.ModelMetadata(r, c));
        Add(context, "ModelInfer", ModelInferRequest.Parser, (s, r, c) => s.ModelInfer(r, c));
    }

    private static void Add<TRequest, TResponse>(ServiceMethodProviderContext<InferenceGrpcService> context, string name, MessageParser<TRequest> parser,
        UnaryServerMethod<InferenceGrpcService, TRequest, TResponse> invoker)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, ServiceName, name, Marshaller(parser), Marshaller<TResponse>(null));
        context.AddUnaryMethod(method, [], invoker);
    }

    private static Marshaller<T> Marshaller<T>(MessageParser<T>? parser)
        where T : class, IMessage<T> =>
        new(
            (message, serialization) =>
            {
                serialization.SetPayloadLength(message.CalculateSize());
                message.WriteTo(serialization.GetBufferWriter());
                serialization.Complete();
            },
            deserialization =>
            {
                try
                {
                    return parser!.ParseFrom(deserialization.PayloadAsReadOnlySequence());
                }
                catch (InvalidProtocolBufferException ex)
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"The request is not a {typeof(T).Name}: {ex.Message}"));
                }
            });
}
