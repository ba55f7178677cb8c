using System.Buffers;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>A routable method: its path and how to run one call of it.</summary>
internal abstract class ServerMethod(string path, MethodType type)
{
    public string Path { get; } = path;

    public MethodType Type { get; } = type;

    /// <summary>Unary and server-streaming methods take exactly one request, which the dispatcher buffers.</summary>
    public bool SingleRequest => Type is MethodType.Unary or MethodType.ServerStreaming;

    /// <summary>Streaming-request methods: reads the requests, runs the handler, writes the response(s). Status and trailers are the caller's job.</summary>
    public virtual Task InvokeAsync(ServerCall call) => throw new NotSupportedException();

    /// <summary>Single-request methods, given the request's frame payload (valid until the returned task completes).</summary>
    public virtual Task InvokeAsync(ServerCall call, bool compressed, in ReadOnlySequence<byte> payload) => throw new NotSupportedException();

    /// <summary>
    /// Long-lived request streams must not be cut by Kestrel's request body size limit or minimum data
    /// rate (a client may legitimately be silent for minutes); our per-message limit bounds memory.
    /// </summary>
    protected static void AllowLongRequestStream(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }
}

/// <summary>Resolves the handler instance for a call: a cached singleton, or from the request scope.</summary>
internal delegate TService ServiceFactory<out TService>(HttpContext http);

internal sealed class UnaryServerMethod<TService, TRequest, TResponse>(
    string path,
    ServiceFactory<TService> factory,
    MessageParser<TRequest> parser,
    Func<TService, TRequest, ServerCallContext, Task<TResponse>> handler)
    : ServerMethod(path, MethodType.Unary)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override Task InvokeAsync(ServerCall call, bool compressed, in ReadOnlySequence<byte> payload)
    {
        var request = MessageFraming.ParsePayload(parser, compressed, payload, call.RequestEncoding, call.MaxReceiveMessageSize);
        var response = handler(factory(call.HttpContext), request, call);
        if (response.IsCompletedSuccessfully)
        {
            // The common case: a handler that answers synchronously costs no async machinery here.
            Write(call, response.Result);
            return Task.CompletedTask;
        }

        return AwaitAndWriteAsync(call, response);
    }

    private static async Task AwaitAndWriteAsync(ServerCall call, Task<TResponse> response) => Write(call, await response.ConfigureAwait(false));

    private static void Write(ServerCall call, TResponse response) =>
        ResponseWriter.WriteSingle(call, response ?? throw new InvalidOperationException("The handler returned a null response."));
}

internal sealed class ServerStreamingServerMethod<TService, TRequest, TResponse>(
    string path,
    ServiceFactory<TService> factory,
    MessageParser<TRequest> parser,
    Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
    : ServerMethod(path, MethodType.ServerStreaming)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override Task InvokeAsync(ServerCall call, bool compressed, in ReadOnlySequence<byte> payload) =>
        RunAsync(call, MessageFraming.ParsePayload(parser, compressed, payload, call.RequestEncoding, call.MaxReceiveMessageSize));

    private async Task RunAsync(ServerCall call, TRequest request)
    {
        var writer = new ResponseWriter.Stream<TResponse>(call);
        try
        {
            await handler(factory(call.HttpContext), request, writer, call).ConfigureAwait(false);
        }
        finally
        {
            writer.Completed = true;
        }
    }
}

internal sealed class ClientStreamingServerMethod<TService, TRequest, TResponse>(
    string path,
    ServiceFactory<TService> factory,
    MessageParser<TRequest> parser,
    Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
    : ServerMethod(path, MethodType.ClientStreaming)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override async Task InvokeAsync(ServerCall call)
    {
        AllowLongRequestStream(call.HttpContext);
        var reader = new RequestReader.Stream<TRequest>(call, parser);
        var response = await handler(factory(call.HttpContext), reader, call).ConfigureAwait(false);
        ResponseWriter.WriteSingle(call, response ?? throw new InvalidOperationException("The handler returned a null response."));
    }
}

internal sealed class DuplexStreamingServerMethod<TService, TRequest, TResponse>(
    string path,
    ServiceFactory<TService> factory,
    MessageParser<TRequest> parser,
    Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
    : ServerMethod(path, MethodType.DuplexStreaming)
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>
{
    public override async Task InvokeAsync(ServerCall call)
    {
        AllowLongRequestStream(call.HttpContext);
        var reader = new RequestReader.Stream<TRequest>(call, parser);
        var writer = new ResponseWriter.Stream<TResponse>(call);
        try
        {
            await handler(factory(call.HttpContext), reader, writer, call).ConfigureAwait(false);
        }
        finally
        {
            writer.Completed = true;
        }
    }
}
