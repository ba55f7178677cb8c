using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>All transport log messages, source-generated (no boxing, no formatting when disabled).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Error, "gRPC handler for {Method} threw; the client gets INTERNAL")]
    public static partial void HandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "gRPC call {Method} ended with {StatusCode}: {StatusMessage}")]
    public static partial void CallFailed(ILogger logger, string method, StatusCode statusCode, string statusMessage);

    [LoggerMessage(3, LogLevel.Debug, "gRPC call {Method} cancelled by the client")]
    public static partial void CallCancelled(ILogger logger, string method);

    [LoggerMessage(4, LogLevel.Debug, "gRPC call {Method} exceeded its deadline")]
    public static partial void DeadlineExceeded(ILogger logger, string method);

    [LoggerMessage(5, LogLevel.Debug, "Refused a non-gRPC request: {Reason} ({Protocol} {HttpMethod} {ContentType})")]
    public static partial void RequestRefused(ILogger logger, string reason, string protocol, string httpMethod, string? contentType);

    [LoggerMessage(6, LogLevel.Debug, "Unimplemented gRPC method {Path}")]
    public static partial void Unimplemented(ILogger logger, string path);

    [LoggerMessage(7, LogLevel.Debug, "Ignored an invalid grpc-timeout value '{Value}'")]
    public static partial void InvalidTimeout(ILogger logger, string value);

    [LoggerMessage(8, LogLevel.Information, "gRPC server listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);
}
