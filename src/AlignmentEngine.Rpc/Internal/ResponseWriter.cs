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
        call.EnsureHeaders();
        MessageFraming.WriteFrame(call.HttpContext.Response.BodyWriter, message, call.CompressNext, call.MaxSendMessageSize);
    }

    public sealed class Stream<T>(ServerCall call) : IServerStreamWriter<T>
        where T : IMessage<T>
    {
        private int _writing;

        public bool Completed { get; set; }

        public Task WriteAsync(T message, CancellationToken cancellationToken = default)
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
                call.EnsureHeaders();
                var writer = call.HttpContext.Response.BodyWriter;
                MessageFraming.WriteFrame(writer, message, call.CompressNext, call.MaxSendMessageSize);
                var token = cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken;
                var flush = writer.FlushAsync(token);
                if (flush.IsCompletedSuccessfully)
                {
                    Volatile.Write(ref _writing, 0);
                    return Task.CompletedTask;
                }

                return AwaitFlush(flush.AsTask());
            }
            catch
            {
                Volatile.Write(ref _writing, 0);
                throw;
            }
        }

        private async Task AwaitFlush(Task<System.IO.Pipelines.FlushResult> flush)
        {
            try
            {
                var result = await flush.ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("The response write was cancelled.");
                }
            }
            finally
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }
}
