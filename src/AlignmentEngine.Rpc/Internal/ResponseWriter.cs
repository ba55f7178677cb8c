using Google.Protobuf;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// Writes response frames into Kestrel's response pipe. A streamed write awaits the flush, which
/// awaits HTTP/2 flow control: a slow reader pauses the handler instead of growing a buffer.
/// </summary>
internal static class ResponseWriter
{
    /// <summary>Unary and client-streaming responses: buffered, flushed with the trailers when the call completes.</summary>
    public static void WriteSingle(ServerCall call, IMessage message)
    {
        if (!call.EnterWrite())
        {
            // The deadline already ended the call; the late response is dropped.
            return;
        }

        try
        {
            call.EnsureHeaders();
            MessageFraming.WriteFrame(call.HttpContext.Response.BodyWriter, message, call.CompressNext, call.MaxSendMessageSize);
        }
        finally
        {
            call.ExitWrite();
        }
    }

    public sealed class Stream<T>(ServerCall call) : IServerStreamWriter<T>
        where T : IMessage<T>
    {
        private int _writing;

        public bool Completed { get; set; }

        public async Task WriteAsync(T message, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(message);
            if (Completed)
            {
                throw new InvalidOperationException("The call is complete: responses can no longer be written.");
            }

            if (Interlocked.Exchange(ref _writing, 1) == 1)
            {
                throw new InvalidOperationException("A write is already in progress: await each WriteAsync before the next.");
            }

            try
            {
                if (!await call.EnterWriteAsync().ConfigureAwait(false))
                {
                    throw ServerCall.CompletedException();
                }

                try
                {
                    call.EnsureHeaders();
                    var writer = call.HttpContext.Response.BodyWriter;
                    MessageFraming.WriteFrame(writer, message, call.CompressNext, call.MaxSendMessageSize);

                    // The flush waits for flow control; the deadline or a client reset must always be able
                    // to cancel it (the deadline waits for this write to leave the gate).
                    using var linked = cancellationToken.CanBeCanceled && cancellationToken != call.CancellationToken
                        ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
                        : null;
                    var result = await writer.FlushAsync(linked?.Token ?? call.CancellationToken).ConfigureAwait(false);
                    if (result.IsCanceled)
                    {
                        throw new OperationCanceledException("The response write was cancelled.");
                    }
                }
                finally
                {
                    call.ExitWrite();
                }
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }
}
