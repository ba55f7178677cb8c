using System.Collections.Frozen;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Service.Telemetry;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// What every AlignmentService call goes through, in one place rather than in each handler: its span and duration
/// (<see cref="RpcTelemetry"/>), its API key, scope and limits (<see cref="Authorizer"/>, which admits a
/// <see cref="Caller"/> for the handler), and the mapping of what a handler did not mean to throw: a request stream
/// that broke off is the client's doing (INTERNAL, logged without a stack trace); anything else is a server fault,
/// logged in full, that the client sees as INTERNAL with no internals. A status built with a cause the client must not
/// see (<see cref="ServiceErrors.Unavailable"/>: the store's path and the driver's words) is logged here with it. A
/// response the tenant's grain sent encoded is decoded here for a call that reads its fields (<see cref="PreEncodedResponses"/>).
/// </summary>
internal sealed partial class CallPipeline(Authorizer authorizer, ILogger<CallPipeline> logger) : Interceptor
{
    public const string HandlerFailedMessage = "the server failed to handle the call";

    /// <summary>The scope each method needs; ValidateTree names no tenant, so any valid key may call it.</summary>
    private static readonly FrozenDictionary<string, string?> Scopes = AlignmentService.Descriptor.Methods.ToFrozenDictionary(
        m => $"/{AlignmentService.Descriptor.FullName}/{m.Name}",
        m => m.Name switch
        {
            "ApplyChanges" or "RecordCheckIns" or "ImportTree" => ApiScopes.Write,
            "CreateWebhook" or "DeleteWebhook" or "RotateWebhookSecret" or "RedeliverWebhook" => ApiScopes.Write,
            "ValidateTree" => null,
            _ => (string?)ApiScopes.Read,
        },
        StringComparer.Ordinal);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        RpcTelemetry.Unary(context, () => Guard(context, () => continuation(request, context)));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        RpcTelemetry.Unary(context, () => Guard(context, () => continuation(requestStream, context)));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        RpcTelemetry.Streaming(context, () => Guard(context, async () =>
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
            return true;
        }));

    private async Task<T> Guard<T>(ServerCallContext context, Func<Task<T>> handler)
    {
        try
        {
            var scope = Scopes.TryGetValue(context.Method, out var needed) ? needed : ApiScopes.Write;
            (await authorizer.AuthenticateAsync(context, scope).ConfigureAwait(false)).AdmitTo(context);
            return PreEncodedResponses.Readable(await handler().ConfigureAwait(false), context);
        }
        catch (RpcException e) when (e.Status.DebugException is { } cause)
        {
            // What the client must not see (a store's path, a driver's words) is logged here, and only here.
            LogAnsweredWithCause(logger, context.Method, e.StatusCode, cause);
            throw;
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The client went away or its deadline passed: grpc-dotnet answers that itself.
            throw;
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException)
        {
            LogRequestBroke(logger, context.Method, e.Message);
            throw new RpcException(new Status(StatusCode.Internal, "the request stream ended unexpectedly"));
        }
        catch (Exception e)
        {
            LogHandlerFailed(logger, context.Method, e);
            throw new RpcException(new Status(StatusCode.Internal, HandlerFailedMessage));
        }
    }

    [LoggerMessage(1, LogLevel.Error, "{Method} failed; the client gets INTERNAL")]
    private static partial void LogHandlerFailed(ILogger logger, string method, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "{Method} answered {StatusCode}")]
    private static partial void LogAnsweredWithCause(ILogger logger, string method, StatusCode statusCode, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "{Method}: the client's request stream broke off ({Reason})")]
    private static partial void LogRequestBroke(ILogger logger, string method, string reason);
}
