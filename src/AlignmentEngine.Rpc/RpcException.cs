namespace AlignmentEngine.Rpc;

/// <summary>
/// A call ended with a non-OK status. Handlers throw it to choose the status the client sees; the
/// client throws it when the server (or the transport, or a deadline) ended the call with one.
/// </summary>
public sealed class RpcException : Exception
{
    public RpcException(GrpcStatus status)
        : this(status, new Metadata())
    {
    }

    public RpcException(GrpcStatus status, Metadata trailers)
        : base(status.ToString())
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(trailers);
        Status = status;
        Trailers = trailers;
    }

    public RpcException(StatusCode code, string message)
        : this(new GrpcStatus(code, message))
    {
    }

    /// <summary>Builds the exception from a rich <c>google.rpc.Status</c>; its code and message become the call's.</summary>
    public RpcException(Google.Rpc.Status details)
        : this(new GrpcStatus((StatusCode)(details ?? throw new ArgumentNullException(nameof(details))).Code, details.Message, details))
    {
    }

    public RpcException()
        : this(StatusCode.Unknown, string.Empty)
    {
    }

    public RpcException(string message)
        : this(StatusCode.Unknown, message)
    {
    }

    public RpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new GrpcStatus(StatusCode.Unknown, message);
        Trailers = new Metadata();
    }

    public GrpcStatus Status { get; }

    public StatusCode StatusCode => Status.Code;

    /// <summary>Trailing metadata: sent by a server handler that throws, received by the client.</summary>
    public Metadata Trailers { get; }
}
