using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>The gzip message encoding, with the decompressed size bounded (a small frame must not inflate without limit).</summary>
internal static class Gzip
{
    /// <summary>Returns a pooled buffer (caller returns it) holding the decompressed bytes.</summary>
    public static (byte[] Buffer, int Length) Decompress(in ReadOnlySequence<byte> payload, int? maxSize)
    {
        var limit = maxSize ?? int.MaxValue;
        var compressed = ArrayPool<byte>.Shared.Rent((int)Math.Max(payload.Length, 1));
        var output = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max((int)payload.Length * 4, 256), Math.Max(limit, 1)));
        try
        {
            payload.CopyTo(compressed);
            using var source = new MemoryStream(compressed, 0, (int)payload.Length, writable: false);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            var length = 0;
            while (true)
            {
                var room = Math.Min(output.Length, limit) - length;
                if (room == 0)
                {
                    if (length >= limit)
                    {
                        // At the limit: one more byte available means the message is over it.
                        Span<byte> probe = stackalloc byte[1];
                        if (gzip.Read(probe) != 0)
                        {
                            throw new RpcException(StatusCode.ResourceExhausted, $"Received message larger than max (decompressed size exceeds {limit}): the limit (max_receive_message_size) is {limit} bytes.");
                        }

                        break;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)output.Length * 2, limit));
                    output.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(output);
                    output = bigger;
                    continue;
                }

                var read = gzip.Read(output, length, room);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            var result = (output, length);
            output = null!;
            return result;
        }
        catch (InvalidDataException)
        {
            throw new RpcException(StatusCode.Internal, "Invalid gzip data in a compressed message.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
            if (output is not null)
            {
                ArrayPool<byte>.Shared.Return(output);
            }
        }
    }

    /// <summary>Writes a compressed frame: flag 1, the compressed length, the compressed bytes.</summary>
    public static void CompressFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> message)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(message);
        }

        var length = (int)compressed.Length;
        var span = writer.GetSpan(GrpcProtocol.HeaderSize + length);
        span[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)length);
        compressed.GetBuffer().AsSpan(0, length).CopyTo(span[GrpcProtocol.HeaderSize..]);
        writer.Advance(GrpcProtocol.HeaderSize + length);
    }
}
