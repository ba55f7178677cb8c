using AlignmentEngine.Rpc.Testing.V1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace AlignmentEngine.Rpc.InteropServer;

/// <summary>
/// The test-only service behind the interop suite, following grpc's interop test descriptions:
/// payloads of requested sizes, echoed statuses and metadata, compression on request, streams.
/// </summary>
public sealed class InteropService
{
    private const string EchoInitialKey = "x-grpc-test-echo-initial";
    private const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";
    private static ByteString _zeros = ByteString.Empty;
    private long _streamedMessages;

    /// <summary>How many responses StreamingOutputCall has handed to the transport (back-pressure tests read it).</summary>
    public long StreamedMessages => Interlocked.Read(ref _streamedMessages);

    public static void Bind(GrpcServiceBuilder<InteropService> builder) => builder
        .Unary<EmptyCallRequest, EmptyCallResponse>("EmptyCall", static (s, r, c) => s.EmptyCall(r, c))
        .Unary<UnaryCallRequest, UnaryCallResponse>("UnaryCall", static (s, r, c) => s.UnaryCall(r, c))
        .ServerStreaming<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", static (s, r, w, c) => s.StreamingOutputCall(r, w, c))
        .ClientStreaming<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall", static (s, r, c) => s.StreamingInputCall(r, c))
        .DuplexStreaming<FullDuplexCallRequest, FullDuplexCallResponse>("FullDuplexCall", static (s, r, w, c) => s.FullDuplexCall(r, w, c))
        .DuplexStreaming<HalfDuplexCallRequest, HalfDuplexCallResponse>("HalfDuplexCall", static (s, r, w, c) => s.HalfDuplexCall(r, w, c));

    // UnimplementedCall is deliberately not bound: the transport must answer UNIMPLEMENTED.

    public Task<EmptyCallResponse> EmptyCall(EmptyCallRequest request, ServerCallContext context)
    {
        EchoMetadata(context);
        return Task.FromResult(new EmptyCallResponse());
    }

    public Task<UnaryCallResponse> UnaryCall(UnaryCallRequest request, ServerCallContext context)
    {
        EchoMetadata(context);
        CheckExpectCompressed(request.ExpectCompressed, context);
        if (request.SleepMs > 0 || request.ThrowException || request.ResponseStatus is { Code: not 0 })
        {
            return UnaryCallSlowAsync(request, context);
        }

        // The common case answers synchronously: no state machine, a cached payload.
        context.CompressResponses = request.ResponseCompressed;
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
        context.CompressResponses = request.ResponseCompressed;
        return new UnaryCallResponse { Payload = NewPayload(request.ResponseSize) };
    }

    public async Task StreamingOutputCall(StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        EchoMetadata(context);
        foreach (var parameters in request.ResponseParameters)
        {
            await Respond(parameters, responses, static p => new StreamingOutputCallResponse { Payload = p }, context).ConfigureAwait(false);
            Interlocked.Increment(ref _streamedMessages);
        }

        if (request.ResponseParameters.Count > 0)
        {
            for (var i = 0; i < request.Repeat; i++)
            {
                await Respond(request.ResponseParameters[0], responses, static p => new StreamingOutputCallResponse { Payload = p }, context).ConfigureAwait(false);
                Interlocked.Increment(ref _streamedMessages);
            }
        }

        ThrowIfStatus(request.ResponseStatus);
    }

    public async Task<StreamingInputCallResponse> StreamingInputCall(IAsyncStreamReader<StreamingInputCallRequest> requests, ServerCallContext context)
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

    public async Task FullDuplexCall(IAsyncStreamReader<FullDuplexCallRequest> requests, IServerStreamWriter<FullDuplexCallResponse> responses, ServerCallContext context)
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

    public async Task HalfDuplexCall(IAsyncStreamReader<HalfDuplexCallRequest> requests, IServerStreamWriter<HalfDuplexCallResponse> responses, ServerCallContext context)
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

        context.CompressResponses = parameters.Compressed;
        await responses.WriteAsync(create(NewPayload(parameters.Size)), context.CancellationToken).ConfigureAwait(false);
    }

    private static Payload NewPayload(int size) => new() { Type = PayloadType.Compressable, Body = Zeros(size) };

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
            throw new RpcException((StatusCode)status.Code, status.Message);
        }

        var details = new Google.Rpc.Status { Code = status.Code, Message = status.Message };
        details.Details.Add(Any.Pack(new ErrorInfo { Reason = "ECHOED", Domain = "okr.testing.v1", Metadata = { ["code"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) } }));
        details.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = "response_status", Description = "echoed on request" } } }));
        throw new RpcException(details);
    }

    /// <summary>
    /// The interop compression cases: a request that says it was sent compressed must have come with
    /// grpc-encoding gzip, else INVALID_ARGUMENT (the client did not compress).
    /// </summary>
    private static void CheckExpectCompressed(bool expectCompressed, ServerCallContext context)
    {
        if (expectCompressed && !string.Equals(context.GetHttpContext().Request.Headers["grpc-encoding"], "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.InvalidArgument, "Expected a compressed request (grpc-encoding: gzip).");
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
            context.ResponseHeaders.Add(EchoInitialKey, initial);
        }

        var trailing = context.RequestHeaders.GetValueBytes(EchoTrailingKey);
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(EchoTrailingKey, trailing);
        }
    }
}
