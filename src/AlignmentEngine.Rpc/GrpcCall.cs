using Google.Protobuf;
using AlignmentEngine.Rpc.Internal;

namespace AlignmentEngine.Rpc;

/// <summary>
/// A call in progress on the client. Which members apply depends on the method's shape:
/// <see cref="RequestStream"/> for client-streaming and bidirectional calls, <see cref="ResponseStream"/>
/// for server-streaming and bidirectional calls, <see cref="ResponseAsync"/> for unary and
/// client-streaming calls. Dispose it to cancel a call that is still running.
/// </summary>
public sealed class GrpcCall<TRequest, TResponse> : IDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly ClientCall<TRequest, TResponse> _call;
    private readonly MethodType _type;
    private Task<TResponse>? _response;

    internal GrpcCall(ClientCall<TRequest, TResponse> call, MethodType type)
    {
        _call = call;
        _type = type;
    }

    public IClientStreamWriter<TRequest> RequestStream =>
        _type is MethodType.ClientStreaming or MethodType.DuplexStreaming ? _call : throw new InvalidOperationException($"A {_type} call has no request stream.");

    public IAsyncStreamReader<TResponse> ResponseStream =>
        _type is MethodType.ServerStreaming or MethodType.DuplexStreaming ? _call : throw new InvalidOperationException($"A {_type} call has no response stream.");

    public Task<TResponse> ResponseAsync =>
        _type is MethodType.Unary or MethodType.ClientStreaming
            ? _response ??= _call.ReadSingleResponseAsync()
            : throw new InvalidOperationException($"A {_type} call has a response stream, not a single response.");

    /// <summary>The response headers (custom metadata); for a Trailers-Only response, its metadata.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The final status; only once the call has finished.</summary>
    public GrpcStatus GetStatus() => _call.GetStatus();

    /// <summary>The trailing metadata; only once the call has finished.</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    public void Dispose() => _call.Dispose();
}
