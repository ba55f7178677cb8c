using Microsoft.AspNetCore.Http;

namespace AlignmentEngine.Rpc;

/// <summary>What a server handler knows about, and can set on, the call it is serving.</summary>
public abstract class ServerCallContext
{
    /// <summary>The full method path, <c>/package.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The <c>:authority</c> the client called.</summary>
    public abstract string Host { get; }

    /// <summary>The client's address, e.g. <c>ipv4:127.0.0.1:50051</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>When the call must be done (UTC); <see cref="DateTime.MaxValue"/> without <c>grpc-timeout</c>.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>Custom metadata sent by the client (reserved and HTTP/2 headers removed).</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Cancelled when the client cancels (RST_STREAM), the connection drops, or the deadline passes.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Custom metadata sent as response headers; editable until the first response message or <see cref="WriteResponseHeadersAsync"/>.</summary>
    public abstract Metadata ResponseHeaders { get; }

    /// <summary>Custom metadata sent in the trailers, after the last message.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>
    /// The status to end a successful handler with (default OK). Throwing <see cref="RpcException"/> is
    /// the usual way to fail; setting this lets a streaming handler end with a status after writing.
    /// </summary>
    public abstract GrpcStatus Status { get; set; }

    /// <summary>
    /// Compress the response messages written from now on with gzip, if the client accepts gzip. Set it
    /// before the first write so the response headers announce <c>grpc-encoding: gzip</c>; clear it
    /// to send the following messages uncompressed.
    /// </summary>
    public abstract bool CompressResponses { get; set; }

    /// <summary>Sends the response headers now (with <see cref="ResponseHeaders"/> and <paramref name="headers"/>), before any message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata? headers = null);

    /// <summary>The underlying ASP.NET Core request, for what this abstraction does not cover (TLS client certificate, features).</summary>
    public abstract HttpContext GetHttpContext();
}
