using System.IO.Pipelines;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;

namespace AlignmentEngine.Service.Pipeline;

/// <summary>
/// A call with one request message (unary, server streaming) must receive it in full within
/// <see cref="AlignmentServiceOptions.RequestBodyTimeout"/>, or it ends with DEADLINE_EXCEEDED: one stalled client
/// costs one call. Kestrel's own guard, a minimum request body data rate, is switched off for these calls: on HTTP/2 it
/// aborts the whole connection, every other call on it included, and logs the client's stall as a server error.
/// Streaming requests are left alone (grpc-dotnet switches the rate off for them): their pace is the client's.
/// </summary>
internal sealed class RequestBodyDeadline(RequestDelegate next, IOptions<AlignmentServiceOptions> options)
{
    private readonly TimeSpan _timeout = options.Value.RequestBodyTimeout;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.Type is not (MethodType.Unary or MethodType.ServerStreaming))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate) rate.MinDataRate = null;
        using var deadline = new CancellationTokenSource(_timeout);
        var body = context.Features.Get<IRequestBodyPipeFeature>();
        if (body is not null) context.Features.Set<IRequestBodyPipeFeature>(new Timed(new TimedReader(body.Reader, deadline.Token, _timeout)));
        await next(context).ConfigureAwait(false);
    }

    private sealed class Timed(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader => reader;
    }

    /// <summary>The request body, whose reads fail with DEADLINE_EXCEEDED once the deadline has passed.</summary>
    private sealed class TimedReader(PipeReader inner, CancellationToken deadline, TimeSpan timeout) : PipeReader
    {
        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            if (!cancellationToken.CanBeCanceled) return await Read(inner, deadline, cancellationToken).ConfigureAwait(false);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline);
            return await Read(inner, linked.Token, cancellationToken).ConfigureAwait(false);
        }

        private async ValueTask<ReadResult> Read(PipeReader reader, CancellationToken token, CancellationToken caller)
        {
            try
            {
                return await reader.ReadAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !caller.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                    $"the request message did not arrive in full within {timeout.TotalSeconds:0.###} s (request_body_timeout, raised with okr serve --request-body-timeout)"));
            }
        }

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
