using System.Net;
using Google.Protobuf;
using AlignmentEngine.Rpc.Internal;

namespace AlignmentEngine.Rpc;

/// <summary>
/// The client: calls gRPC methods on one server address over HttpClient's HTTP/2 (h2c with prior
/// knowledge for http://, ALPN for https://). Thread-safe; make one per server and reuse it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        BaseAddress = address.AbsoluteUri.EndsWith('/') ? address.AbsoluteUri : address.AbsoluteUri + "/";
        Options = options;
        var handler = options.HttpHandler ?? new SocketsHttpHandler
        {
            // One HTTP/2 connection multiplexes calls; open more when the server's stream limit is reached.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
        };
        Invoker = new HttpMessageInvoker(handler, options.HttpHandler is null || options.DisposeHttpHandler);
    }

    public Uri Address => new(BaseAddress);

    internal string BaseAddress { get; }

    internal GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Invoker { get; }

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) => ForAddress(new Uri(address), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new GrpcChannel(address, options ?? new GrpcChannelOptions());
    }

    /// <summary>A unary call: the response, or <see cref="RpcException"/>.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        using var call = StartUnary(method, request, options);
        return await call.ResponseAsync.ConfigureAwait(false);
    }

    /// <summary>A unary call whose headers, trailers and status can be inspected.</summary>
    public GrpcCall<TRequest, TResponse> StartUnary<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        return new GrpcCall<TRequest, TResponse>(new ClientCall<TRequest, TResponse>(this, method, request, options), MethodType.Unary);
    }

    public GrpcCall<TRequest, TResponse> ServerStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        return new GrpcCall<TRequest, TResponse>(new ClientCall<TRequest, TResponse>(this, method, request, options), MethodType.ServerStreaming);
    }

    public GrpcCall<TRequest, TResponse> ClientStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        return new GrpcCall<TRequest, TResponse>(new ClientCall<TRequest, TResponse>(this, method, null, options), MethodType.ClientStreaming);
    }

    public GrpcCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(method);
        return new GrpcCall<TRequest, TResponse>(new ClientCall<TRequest, TResponse>(this, method, null, options), MethodType.DuplexStreaming);
    }

    public void Dispose() => Invoker.Dispose();
}
