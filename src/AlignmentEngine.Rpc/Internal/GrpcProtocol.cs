namespace AlignmentEngine.Rpc.Internal;

/// <summary>Names and values of the gRPC HTTP/2 protocol (doc/PROTOCOL-HTTP2.md), in one place.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string ContentTypeProto = "application/grpc+proto";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string StatusDetailsHeader = "grpc-status-details-bin";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string Identity = "identity";
    public const string Gzip = "gzip";

    /// <summary>What we can decode, advertised on every response.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>1 byte compressed flag + 4 bytes big-endian length.</summary>
    public const int HeaderSize = 5;

    /// <summary>Precomputed header values for the common statuses, so the hot path does not format integers.</summary>
    private static readonly string[] StatusStrings = CreateStatusStrings();

    public static string StatusString(StatusCode code)
    {
        var i = (int)code;
        return (uint)i < (uint)StatusStrings.Length ? StatusStrings[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// True for <c>application/grpc</c>, <c>application/grpc+proto</c> and either with parameters. Other
    /// subtypes (<c>+json</c>) are a codec we do not speak.
    /// </summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        if (rest.IsEmpty || rest[0] == ';')
        {
            return true;
        }

        if (rest.StartsWith("+proto", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[6..];
            return rest.IsEmpty || rest[0] == ';';
        }

        return false;
    }

    /// <summary>True if the comma-separated <c>grpc-accept-encoding</c> list contains gzip.</summary>
    public static bool AcceptsGzip(string? acceptEncoding)
    {
        if (string.IsNullOrEmpty(acceptEncoding))
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(Gzip, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] CreateStatusStrings()
    {
        var values = new string[17];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return values;
    }
}
