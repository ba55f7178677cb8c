using Google.Protobuf;
using Grpc.Reflection.V1;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// <c>grpc.reflection.v1alpha</c>, still what many tools ask first. Its messages are wire-identical to
/// v1's, so a request is re-read as v1, answered once, and the answer re-read as v1alpha.
/// </summary>
internal sealed class ReflectionServiceV1Alpha(ReflectionService v1)
{
    public async Task Info(
        IAsyncStreamReader<Grpc.Reflection.V1Alpha.ServerReflectionRequest> requests,
        IServerStreamWriter<Grpc.Reflection.V1Alpha.ServerReflectionResponse> responses,
        ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = v1.Answer(request);
            await responses.WriteAsync(Grpc.Reflection.V1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken).ConfigureAwait(false);
        }
    }

    internal static void Bind(GrpcServiceBuilder<ReflectionServiceV1Alpha> builder) => builder
        .DuplexStreaming<Grpc.Reflection.V1Alpha.ServerReflectionRequest, Grpc.Reflection.V1Alpha.ServerReflectionResponse>(
            "ServerReflectionInfo", static (s, r, w, c) => s.Info(r, w, c));
}
