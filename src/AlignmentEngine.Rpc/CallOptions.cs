namespace AlignmentEngine.Rpc;

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
