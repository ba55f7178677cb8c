using System.Buffers.Text;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace AlignmentEngine.Rpc.Internal;

/// <summary>Custom metadata to and from HTTP/2 headers: reserved headers filtered, <c>-bin</c> values base64.</summary>
internal static class MetadataCodec
{
    /// <summary>Headers that belong to HTTP/2 or gRPC itself and are not custom metadata.</summary>
    public static bool IsReserved(string key) =>
        key.Length == 0
        || key[0] == ':'
        || key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || key.Equals("te", StringComparison.OrdinalIgnoreCase)
        || key.Equals("host", StringComparison.OrdinalIgnoreCase)
        || key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || key.Equals("connection", StringComparison.OrdinalIgnoreCase)
        || key.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
        || key.Equals("user-agent", StringComparison.OrdinalIgnoreCase)
        || key.Equals("accept-encoding", StringComparison.OrdinalIgnoreCase);

    public static Metadata FromRequestHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers)
        {
            if (IsReserved(header.Key))
            {
                continue;
            }

            AddValues(metadata, header.Key, header.Value);
        }

        return metadata;
    }

    public static void AddValues(Metadata metadata, string key, StringValues values)
    {
        var binary = key.EndsWith(Metadata.BinarySuffix, StringComparison.OrdinalIgnoreCase);
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            if (binary)
            {
                // Several binary values may arrive comma-joined in one header (spec: "separated by ',' ").
                foreach (var range in value.AsSpan().Split(','))
                {
                    metadata.Add(key, DecodeBase64(value.AsSpan(range).Trim()));
                }
            }
            else
            {
                metadata.Add(new Metadata.Entry(key, Sanitize(value)));
            }
        }
    }

    public static void AddValues(Metadata metadata, HttpHeaders headers)
    {
        foreach (var header in headers)
        {
            if (IsReserved(header.Key))
            {
                continue;
            }

            AddValues(metadata, header.Key, new StringValues([.. header.Value]));
        }
    }

    public static void WriteTo(Metadata metadata, IHeaderDictionary headers)
    {
        foreach (var entry in metadata)
        {
            headers.Append(entry.Key, Encode(entry));
        }
    }

    public static void WriteTrailers(Metadata metadata, HttpResponse response)
    {
        foreach (var entry in metadata)
        {
            response.AppendTrailer(entry.Key, Encode(entry));
        }
    }

    public static void WriteTo(Metadata metadata, HttpRequestHeaders headers)
    {
        foreach (var entry in metadata)
        {
            headers.TryAddWithoutValidation(entry.Key, Encode(entry));
        }
    }

    public static string Encode(Metadata.Entry entry) => entry.IsBinary ? EncodeBase64(entry.ValueBytes) : entry.Value!;

    /// <summary>Unpadded, as the spec says implementations should emit.</summary>
    public static string EncodeBase64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    /// <summary>Accepts padded and unpadded values (the spec requires both).</summary>
    public static byte[] DecodeBase64(ReadOnlySpan<char> value)
    {
        var padding = (4 - (value.Length % 4)) % 4;
        if (padding == 3)
        {
            throw new FormatException("Invalid base64 length.");
        }

        Span<char> padded = value.Length + padding <= 1024 ? stackalloc char[value.Length + padding] : new char[value.Length + padding];
        value.CopyTo(padded);
        padded[value.Length..].Fill('=');
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(padded.Length)];
        return Convert.TryFromBase64Chars(padded, bytes, out var written) ? bytes[..written] : throw new FormatException("Invalid base64 value.");
    }

    /// <summary>A non-printable character in an ASCII value is replaced rather than failing the call.</summary>
    private static string Sanitize(string value)
    {
        foreach (var c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return string.Create(value.Length, value, static (span, v) =>
                {
                    for (var i = 0; i < v.Length; i++)
                    {
                        span[i] = v[i] < 0x20 || v[i] > 0x7E ? '?' : v[i];
                    }
                });
            }
        }

        return value;
    }
}
