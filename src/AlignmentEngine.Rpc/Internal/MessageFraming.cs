using System.Buffers;
using System.Buffers.Binary;
using Google.Protobuf;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>
/// Length-Prefixed-Message framing: 1 byte compressed flag, 4 bytes big-endian length, the message.
/// Shared by server and client; works on spans and sequences so that no intermediate copy is made
/// for uncompressed messages.
/// </summary>
internal static class MessageFraming
{
    /// <summary>
    /// Looks for one complete frame at the start of <paramref name="buffer"/>. Returns false when more
    /// bytes are needed; throws <see cref="RpcException"/> as soon as the header shows the frame is
    /// invalid or larger than <paramref name="maxSize"/>, so an oversized frame is never buffered.
    /// </summary>
    public static bool TryReadFrame(in ReadOnlySequence<byte> buffer, int? maxSize, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < GrpcProtocol.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.HeaderSize];
        buffer.Slice(0, GrpcProtocol.HeaderSize).CopyTo(header);
        var flag = header[0];
        if (flag > 1)
        {
            throw new RpcException(StatusCode.Internal, "Invalid compressed flag in the message header.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (maxSize is { } max && length > (uint)max)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {max}): the limit (max_receive_message_size) is {max} bytes.");
        }

        if (length > int.MaxValue)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {int.MaxValue}).");
        }

        if (buffer.Length - GrpcProtocol.HeaderSize < length)
        {
            return false;
        }

        compressed = flag == 1;
        payload = buffer.Slice(GrpcProtocol.HeaderSize, length);
        return true;
    }

    /// <summary>Parses a frame's payload, decompressing it if flagged; the decompressed size is bounded too.</summary>
    public static T ParsePayload<T>(MessageParser<T> parser, bool compressed, in ReadOnlySequence<byte> payload, string? encoding, int? maxSize)
        where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            if (encoding is null || string.Equals(encoding, GrpcProtocol.Identity, StringComparison.OrdinalIgnoreCase))
            {
                // The spec: a compressed flag without a message encoding is a protocol error.
                throw new RpcException(StatusCode.Internal, "Compressed message received without a grpc-encoding (or with identity).");
            }

            var (buffer, length) = Gzip.Decompress(payload, maxSize);
            try
            {
                return parser.ParseFrom(buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal, "Failed to deserialize the message: " + ex.Message);
        }
    }

    /// <summary>Writes one frame into <paramref name="writer"/> with no intermediate buffer when not compressing.</summary>
    public static void WriteFrame(IBufferWriter<byte> writer, IMessage message, bool compress, int? maxSize)
    {
        var size = message.CalculateSize();
        if (maxSize is { } max && size > max)
        {
            throw new RpcException(StatusCode.ResourceExhausted, $"Sending message larger than max ({size} vs. {max}).");
        }

        if (!compress)
        {
            var span = writer.GetSpan(GrpcProtocol.HeaderSize + size);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(GrpcProtocol.HeaderSize, size));
            writer.Advance(GrpcProtocol.HeaderSize + size);
            return;
        }

        var raw = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            message.WriteTo(raw.AsSpan(0, size));
            Gzip.CompressFrame(writer, raw.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>A frame as one array (client requests, where HttpContent wants bytes).</summary>
    public static byte[] ToFrame(IMessage message, bool compress, int? maxSize)
    {
        var writer = new ArrayBufferWriter<byte>(GrpcProtocol.HeaderSize + message.CalculateSize());
        WriteFrame(writer, message, compress, maxSize);
        return writer.WrittenSpan.ToArray();
    }
}
