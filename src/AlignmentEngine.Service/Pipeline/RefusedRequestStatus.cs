using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// grpc-dotnet refuses a request it cannot read before any interceptor runs, with statuses of its own: a message over
/// <c>MaxReceiveMessageSize</c> gets a RESOURCE_EXHAUSTED that names no limit, and bytes that are not a message (or
/// not gzip) get UNKNOWN "Exception was thrown by handler." with the exception logged as a server error. This
/// middleware answers both in the service's terms, in the trailers-only response grpc-dotnet sends then:
/// RESOURCE_EXHAUSTED naming the limit and the <c>okr serve</c> option that raises it
/// (<see cref="ServiceErrors.ResourceExhausted"/>), and INTERNAL "the request message could not be read" (the gRPC
/// spec's answer to a malformed message), logged as the client's fault. Handlers' own failures never reach it as
/// UNKNOWN: <see cref="CallPipeline"/> maps them to INTERNAL first.
/// </summary>
internal sealed partial class RefusedRequestStatus(RequestDelegate next, IOptions<AlignmentServiceOptions> options, ILogger<RefusedRequestStatus> logger)
{
    /// <summary>grpc-dotnet's message for a request message over the limit.</summary>
    private const string OverLimitMessage = "Received message exceeds the maximum configured message size.";

    /// <summary>grpc-dotnet's message for an exception outside the handler: for us, a request it could not read.</summary>
    private const string UnreadableMessage = "Exception was thrown by handler.";

    private const string ResourceExhausted = "8";
    private const string Unknown = "2";
    private const string Internal = "13";

    private readonly Google.Rpc.Status _overLimit = OverLimit(options.Value.MaxReceiveMessageSize);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(() =>
        {
            Replace(context.Request.Path, context.Response.Headers);
            return Task.CompletedTask;
        });
        await next(context).ConfigureAwait(false);
        if (context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers) Replace(context.Request.Path, trailers);
    }

    private void Replace(string path, IHeaderDictionary headers)
    {
        var status = headers["grpc-status"];
        var message = headers["grpc-message"];
        if (status == ResourceExhausted && message == OverLimitMessage)
        {
            headers["grpc-message"] = _overLimit.Message;
            headers["grpc-status-details-bin"] = Convert.ToBase64String(_overLimit.ToByteArray());
        }
        else if (status == Unknown && message == UnreadableMessage)
        {
            LogUnreadable(logger, path);
            headers["grpc-status"] = Internal;
            headers["grpc-message"] = "the request message could not be read";
        }
    }

    private static Google.Rpc.Status OverLimit(int limit)
    {
        var ours = ServiceErrors.ResourceExhausted("max_receive_message_size", $"a request message is larger than {limit} bytes, the limit (max_receive_message_size)");
        return Grpc.Core.RpcExceptionExtensions.GetRpcStatus(ours) ?? throw new InvalidOperationException("a limit's status carries details");
    }

    [LoggerMessage(1, LogLevel.Information, "{Path}: the request message could not be read; the client gets INTERNAL")]
    private static partial void LogUnreadable(ILogger logger, string path);
}
