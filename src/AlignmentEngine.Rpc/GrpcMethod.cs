using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AlignmentEngine.Rpc;

/// <summary>A method as the client calls it: path, call shape and response parser.</summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>, new()
{
    /// <summary>From the generated descriptor, checked against the message types.</summary>
    public GrpcMethod(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException($"{descriptor.FullName} takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}.", nameof(descriptor));
        }

        FullName = "/" + descriptor.Service.FullName + "/" + descriptor.Name;
        Type = GrpcServiceBuilder<object>.ShapeOf(descriptor);
    }

    /// <summary>By name, for methods without a descriptor at hand (e.g. calling something the server may not have).</summary>
    public GrpcMethod(string serviceFullName, string methodName, MethodType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceFullName);
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        FullName = "/" + serviceFullName + "/" + methodName;
        Type = type;
    }

    /// <summary>The HTTP/2 path, <c>/package.Service/Method</c>.</summary>
    public string FullName { get; }

    public MethodType Type { get; }

    internal MessageParser<TResponse> ResponseParser { get; } = new(static () => new TResponse());

    public override string ToString() => FullName;
}

/// <summary>Per-call settings for the client.</summary>
public readonly record struct CallOptions
{
    /// <summary>Custom metadata to send as request headers.</summary>
    public Metadata? Headers { get; init; }

    /// <summary>UTC deadline; sent as grpc-timeout and enforced locally (DEADLINE_EXCEEDED).</summary>
    public DateTime? Deadline { get; init; }

    /// <summary>Cancelling it cancels the call (RST_STREAM); the call then fails with CANCELLED.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Compress request messages with gzip (grpc-encoding: gzip).</summary>
    public bool CompressRequests { get; init; }
}

/// <summary>Client settings shared by every call on a channel.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>The HTTP handler; by default a <see cref="System.Net.Http.SocketsHttpHandler"/> tuned for HTTP/2.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Whether disposing the channel disposes <see cref="HttpHandler"/>.</summary>
    public bool DisposeHttpHandler { get; set; } = true;

    public int? MaxReceiveMessageSize { get; set; } = GrpcServerOptions.DefaultMaxReceiveMessageSize;

    public int? MaxSendMessageSize { get; set; }

    /// <summary>Sent as user-agent.</summary>
    public string UserAgent { get; set; } = "alignmentengine-grpc-dotnet/1.0";
}
