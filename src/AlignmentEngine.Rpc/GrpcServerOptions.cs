namespace AlignmentEngine.Rpc;

/// <summary>Server-wide transport settings (bound with <c>services.AddGrpcTransport(o => ...)</c>).</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The gRPC default: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Largest request message accepted, after decompression; a larger one ends the call with
    /// RESOURCE_EXHAUSTED before its bytes are buffered. Null means no limit (not recommended).
    /// </summary>
    public int? MaxReceiveMessageSize { get; set; } = DefaultMaxReceiveMessageSize;

    /// <summary>Largest response message the server sends; a larger one ends the call with RESOURCE_EXHAUSTED. Null: no limit.</summary>
    public int? MaxSendMessageSize { get; set; }

    /// <summary>Compress responses with gzip by default when the client accepts it (handlers can still choose per call).</summary>
    public bool CompressResponses { get; set; }

    /// <summary>
    /// Put the exception message of a failed handler into grpc-message. Off by default: clients must not
    /// see internals; the full exception is logged either way.
    /// </summary>
    public bool EnableDetailedErrors { get; set; }
}
