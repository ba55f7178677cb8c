namespace AlignmentEngine.Rpc;

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
