using System.Buffers;
using System.IO.Pipelines;
using Google.Protobuf;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// Reads request frames straight from Kestrel's request pipe. The pipe only holds what has arrived and
/// what we have not consumed; an oversized frame is refused from its header, so memory stays bounded.
/// </summary>
internal static class RequestReader
{
    /// <summary>
    /// Unary and server-streaming requests: exactly one message, then the end of the stream. Waiting for
    /// the end is what lets us refuse garbage after the message instead of ignoring it. The loop lives
    /// in the dispatcher (one async state machine per call); this judges each read. True when
    /// <paramref name="result"/> holds the whole request; throws <see cref="RpcException"/> when it cannot.
    /// </summary>
    public static bool TryGetSingleFrame(in ReadResult result, ServerCall call, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        var buffer = result.Buffer;
        if (MessageFraming.TryReadFrame(buffer, call.MaxReceiveMessageSize, out compressed, out payload))
        {
            if (buffer.Length != payload.Length + GrpcProtocol.HeaderSize)
            {
                throw new RpcException(StatusCode.Internal, "Additional data after the request message.");
            }

            if (result.IsCompleted)
            {
                return true;
            }
        }
        else if (result.IsCompleted)
        {
            throw new RpcException(
                StatusCode.Internal,
                buffer.IsEmpty ? "The request did not include a message." : "Incomplete request message: the stream ended inside a frame.");
        }

        if (result.IsCanceled)
        {
            throw new OperationCanceledException();
        }

        return false;
    }

    /// <summary>Client-streaming and bidirectional requests.</summary>
    public sealed class Stream<T>(ServerCall call, MessageParser<T> parser) : IAsyncStreamReader<T>
        where T : IMessage<T>
    {
        private readonly PipeReader _reader = call.HttpContext.Request.BodyReader;
        private T? _current;
        private bool _done;

        public T Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

        public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
        {
            if (_done)
            {
                return false;
            }

            // Handlers usually pass the call's own token (or none): link only a different one.
            using var linked = cancellationToken.CanBeCanceled && cancellationToken != call.CancellationToken
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken)
                : null;
            var token = linked?.Token ?? call.CancellationToken;
            while (true)
            {
                var result = await _reader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (MessageFraming.TryReadFrame(buffer, call.MaxReceiveMessageSize, out var compressed, out var payload))
                {
                    try
                    {
                        _current = MessageFraming.ParsePayload(parser, compressed, payload, call.RequestEncoding, call.MaxReceiveMessageSize);
                    }
                    finally
                    {
                        _reader.AdvanceTo(payload.End);
                    }

                    return true;
                }

                if (result.IsCompleted)
                {
                    var empty = buffer.IsEmpty;
                    _reader.AdvanceTo(buffer.End);
                    if (empty)
                    {
                        _done = true;
                        return false;
                    }

                    throw new RpcException(StatusCode.Internal, "Incomplete request message: the stream ended inside a frame.");
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException(token);
                }
            }
        }
    }
}
