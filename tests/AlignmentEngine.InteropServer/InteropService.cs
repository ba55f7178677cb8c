using AlignmentEngine.Testing.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace AlignmentEngine.InteropServer;

/// <summary>
/// The test-only service behind the interop suite, following grpc's interop test descriptions:
/// payloads of requested sizes, echoed statuses and metadata, compression on request, streams.
/// </summary>
public sealed class InteropService : Testing.V1.InteropService.InteropServiceBase
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    /// <summary>
    /// grpc-dotnet compresses a call's responses when this response header names an algorithm the client accepts;
    /// a message is then sent uncompressed with <see cref="WriteFlags.NoCompress"/>.
    /// </summary>
    private const string CompressResponsesHeader = "grpc-internal-encoding-request";

    private static readonly WriteOptions Uncompressed = new(WriteFlags.NoCompress);
    private static ByteString _zeros = ByteString.Empty;

    // UnimplementedCall is deliberately not overridden: the base answers UNIMPLEMENTED.

    public override Task<EmptyCallResponse> EmptyCall(EmptyCallRequest request, ServerCallContext context)
    {
        EchoMetadata(context);
        return Task.FromResult(new EmptyCallResponse());
    }

    public override Task<UnaryCallResponse> UnaryCall(UnaryCallRequest request, ServerCallContext context)
    {
        EchoMetadata(context);
        CheckExpectCompressed(request.ExpectCompressed, context);
        if (request.SleepMs > 0 || request.ThrowException || request.ResponseStatus is { Code: not 0 } || request.ResponseCompressed)
        {
            return UnaryCallSlowAsync(request, context);
        }

        // The common case answers synchronously: no state machine, a cached payload.
        return Task.FromResult(new UnaryCallResponse { Payload = NewPayload(request.ResponseSize) });
    }

    private static async Task<UnaryCallResponse> UnaryCallSlowAsync(UnaryCallRequest request, ServerCallContext context)
    {
        if (request.SleepMs > 0)
        {
            await Task.Delay(request.SleepMs, context.CancellationToken).ConfigureAwait(false);
        }

        if (request.ThrowException)
        {
            throw new InvalidOperationException("secret internal detail: connection string Server=db;Password=hunter2");
        }

        ThrowIfStatus(request.ResponseStatus);
        await CompressResponses(context, request.ResponseCompressed).ConfigureAwait(false);
        return new UnaryCallResponse { Payload = NewPayload(request.ResponseSize) };
    }

    public override async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        EchoMetadata(context);
        foreach (var parameters in request.ResponseParameters)
        {
            await Respond(parameters, responses, static p => new StreamingOutputCallResponse { Payload = p }, context).ConfigureAwait(false);
        }

        if (request.ResponseParameters.Count > 0)
        {
            for (var i = 0; i < request.Repeat; i++)
            {
                await Respond(request.ResponseParameters[0], responses, static p => new StreamingOutputCallResponse { Payload = p }, context).ConfigureAwait(false);
            }
        }

        ThrowIfStatus(request.ResponseStatus);
    }

    public override async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requests, ServerCallContext context)
    {
        EchoMetadata(context);
        var total = 0;
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            CheckExpectCompressed(requests.Current.ExpectCompressed, context);
            total = checked(total + requests.Current.Payload?.Body.Length ?? 0);
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public override async Task FullDuplexCall(IAsyncStreamReader<FullDuplexCallRequest> requests, IServerStreamWriter<FullDuplexCallResponse> responses, ServerCallContext context)
    {
        EchoMetadata(context);
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var request = requests.Current;
            ThrowIfStatus(request.ResponseStatus);
            foreach (var parameters in request.ResponseParameters)
            {
                await Respond(parameters, responses, static p => new FullDuplexCallResponse { Payload = p }, context).ConfigureAwait(false);
            }
        }
    }

    public override async Task HalfDuplexCall(IAsyncStreamReader<HalfDuplexCallRequest> requests, IServerStreamWriter<HalfDuplexCallResponse> responses, ServerCallContext context)
    {
        var buffered = new List<HalfDuplexCallRequest>();
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            buffered.Add(requests.Current);
        }

        foreach (var request in buffered)
        {
            foreach (var parameters in request.ResponseParameters)
            {
                await Respond(parameters, responses, static p => new HalfDuplexCallResponse { Payload = p }, context).ConfigureAwait(false);
            }
        }
    }

    private static async Task Respond<T>(ResponseParameters parameters, IServerStreamWriter<T> responses, Func<Payload, T> create, ServerCallContext context)
    {
        if (parameters.IntervalUs > 0)
        {
            await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken).ConfigureAwait(false);
        }

        await CompressResponses(context, parameters.Compressed).ConfigureAwait(false);
        await responses.WriteAsync(create(NewPayload(parameters.Size)), context.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Compresses the next message or not. The call's encoding is announced once, in the response headers, by the
    /// first message that asks for compression; every other message is flagged not to be compressed.
    /// </summary>
    private static async Task CompressResponses(ServerCallContext context, bool compressed)
    {
        // grpc-dotnet compresses with whatever it is told, accepted by the client or not: the spec says not to.
        compressed &= ClientAcceptsGzip(context);
        if (compressed && !context.GetHttpContext().Response.HasStarted)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { CompressResponsesHeader, "gzip" } }).ConfigureAwait(false);
        }


        context.WriteOptions = compressed ? null : Uncompressed;
    }

    private static bool ClientAcceptsGzip(ServerCallContext context) =>
        context.GetHttpContext().Request.Headers["grpc-accept-encoding"].ToString().Split(',').Any(e => e.Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase));

    /// <summary>A payload of <paramref name="size"/> zero bytes, as every response of the service carries (and the benchmark's baseline, <see cref="BareUnaryCall"/>).</summary>
    internal static Payload NewPayload(int size) => new() { Type = PayloadType.Compressable, Body = Zeros(size) };

    /// <summary>Zero-filled bodies; ByteString is immutable, so the last size asked for is reused.</summary>
    private static ByteString Zeros(int size)
    {
        var cached = _zeros;
        if (cached.Length == size)
        {
            return cached;
        }

        cached = ByteString.CopyFrom(new byte[Math.Max(size, 0)]);
        _zeros = cached;
        return cached;
    }

    private static void ThrowIfStatus(EchoStatus? status)
    {
        if (status is null || status.Code == 0)
        {
            return;
        }

        if (!status.IncludeDetails)
        {
            throw new RpcException(new Grpc.Core.Status((StatusCode)status.Code, status.Message));
        }

        var details = new Google.Rpc.Status { Code = status.Code, Message = status.Message };
        details.Details.Add(Any.Pack(new ErrorInfo { Reason = "ECHOED", Domain = "okr.testing.v1", Metadata = { ["code"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) } }));
        details.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "response_status", Description = "echoed on request" } } }));
        throw details.ToRpcException();
    }

    /// <summary>
    /// The interop compression cases: a request that says it was sent compressed must have come with
    /// grpc-encoding gzip, else INVALID_ARGUMENT (the client did not compress).
    /// </summary>
    private static void CheckExpectCompressed(bool expectCompressed, ServerCallContext context)
    {
        if (expectCompressed && !string.Equals(context.GetHttpContext().Request.Headers["grpc-encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.InvalidArgument, "Expected a compressed request (grpc-encoding: gzip)."));
        }
    }

    private static void EchoMetadata(ServerCallContext context)
    {
        // Only build the request metadata when the client asked for an echo (interop custom_metadata).
        var raw = context.GetHttpContext().Request.Headers;
        if (!raw.ContainsKey(EchoInitialKey) && !raw.ContainsKey(EchoTrailingKey))
        {
            return;
        }

        var initial = context.RequestHeaders.GetValue(EchoInitialKey);
        if (initial is not null)
        {
            context.GetHttpContext().Response.Headers[EchoInitialKey] = initial;
        }

        var trailing = context.RequestHeaders.GetValueBytes(EchoTrailingKey);
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(EchoTrailingKey, trailing);
        }
    }
}
