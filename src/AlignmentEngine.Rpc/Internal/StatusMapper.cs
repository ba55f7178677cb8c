namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// The one place where what went wrong becomes a gRPC status, for server and client alike. Handler
/// exceptions other than <see cref="RpcException"/> become INTERNAL with a fixed message: clients
/// never see exception text, types or stack traces unless detailed errors are switched on.
/// </summary>
internal static class StatusMapper
{
    public const string HandlerFailedMessage = "Exception was thrown by handler.";

    /// <summary>Server side: the status for an exception that ended a handler.</summary>
    public static GrpcStatus FromServerException(Exception exception, bool deadlineExceeded, bool detailedErrors)
    {
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }

        if (deadlineExceeded)
        {
            return new GrpcStatus(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (exception is OperationCanceledException)
        {
            // Cancelled without a deadline or a client reset: the handler cancelled itself.
            return new GrpcStatus(StatusCode.Cancelled, "Cancelled");
        }

        if (exception is Microsoft.AspNetCore.Http.BadHttpRequestException or IOException)
        {
            // The request body broke off mid-stream (truncated frame, reset), not a handler bug.
            return new GrpcStatus(StatusCode.Internal, "The request stream ended unexpectedly.");
        }

        return new GrpcStatus(
            StatusCode.Internal,
            detailedErrors ? $"{HandlerFailedMessage} {exception.GetType().Name}: {exception.Message}" : HandlerFailedMessage);
    }

    /// <summary>Client side: an HTTP status other than 200 (spec: "HTTP to gRPC Status Code Mapping").</summary>
    public static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    /// <summary>Client side: an HTTP/2 RST_STREAM error code (spec: "Errors").</summary>
    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x0 or 0x1 or 0x2 or 0x3 or 0x4 or 0x6 or 0x9 or 0xC => StatusCode.Internal,
        0x7 => StatusCode.Unavailable,
        0x8 => StatusCode.Cancelled,
        0xB => StatusCode.ResourceExhausted,
        0xD => StatusCode.PermissionDenied,
        _ => StatusCode.Internal,
    };

    /// <summary>Client side: what a failed send or read means for the caller.</summary>
    public static RpcException FromClientException(Exception exception, bool deadlineExceeded)
    {
        if (exception is RpcException rpc)
        {
            return rpc;
        }

        if (deadlineExceeded)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (exception is OperationCanceledException)
        {
            return new RpcException(StatusCode.Cancelled, "Call cancelled by the client.");
        }

        var protocol = exception as HttpProtocolException ?? exception.InnerException as HttpProtocolException;
        if (protocol is not null)
        {
            return new RpcException(FromHttp2ErrorCode(protocol.ErrorCode), $"HTTP/2 stream reset by the server (error code {protocol.ErrorCode}).");
        }

        return new RpcException(StatusCode.Unavailable, "Error connecting to the server: " + exception.Message);
    }
}
