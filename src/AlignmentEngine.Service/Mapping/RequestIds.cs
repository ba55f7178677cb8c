using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AlignmentEngine.Service.Tenants;
using Google.Protobuf;

namespace AlignmentEngine.Service.Mapping;

/// <summary>
/// The <c>request_id</c> of a write (AIP-155): checked, normalized, and bound to a fingerprint of what the request
/// asks. Any UUID version is accepted in its 36-character form (8-4-4-4-12 hex digits), in either case, and kept in
/// lower case (AIP-202 allows it), so that two spellings of one UUID are one id; the nil UUID is refused, being what a
/// client that never set its id sends.
/// </summary>
internal static class RequestIds
{
    public const string Field = "request_id";

    private const int UuidLength = 36;

    /// <summary>
    /// The key of a write of <paramref name="method"/> whose <paramref name="request"/> carries a <c>request_id</c>, or
    /// null when it is empty (not idempotent); INVALID_ARGUMENT on <c>request_id</c> when it is not a UUID. The id is
    /// normalized in the request itself, then the fingerprint hashes the method's name and the request, serialized: the
    /// same request, however its id is spelt and whatever it came through (gRPC, gRPC-Web or JSON), has the same
    /// fingerprint; any other, another. The request is streamed into the hash, never copied whole (an import may hold
    /// a million goals).
    /// </summary>
    public static RequestKey? Key(string method, IMessage request)
    {
        var field = request.Descriptor.FindFieldByName(Field);
        if (Normalized((string)field.Accessor.GetValue(request)) is not { } id) return null;
        field.Accessor.SetValue(request, id);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var name = Encoding.UTF8.GetBytes(method);
        AppendLength(hash, name.Length);
        hash.AppendData(name);
        AppendLength(hash, request.CalculateSize());
        using (var into = new HashingStream(hash)) request.WriteTo(into);
        return new RequestKey(id, hash.GetHashAndReset());
    }

    /// <summary>The id in lower case, or null when it is empty; INVALID_ARGUMENT on <c>request_id</c> when it is not a UUID.</summary>
    public static string? Normalized(string requestId)
    {
        if (requestId.Length == 0) return null;
        if (requestId.Length != UuidLength || !Guid.TryParseExact(requestId, "D", out var uuid) || uuid == Guid.Empty)
        {
            throw ServiceErrors.InvalidArgument(Field,
                $"must be a UUID in its 36-character form (8-4-4-4-12 hex digits, e.g. a random one), not '{ServiceErrors.Echo(requestId)}'");
        }

        return uuid.ToString("D");
    }

    private static void AppendLength(IncrementalHash hash, int length)
    {
        Span<byte> bytes = stackalloc byte[sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        hash.AppendData(bytes);
    }

    /// <summary>A write-only stream into a hash: what a message serializes to, hashed as it is written.</summary>
    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
