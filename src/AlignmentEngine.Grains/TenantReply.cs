namespace AlignmentEngine.Grains;

/// <summary>
/// The answer to a <see cref="TenantCall"/>: the response's protobuf bytes, or the call's failure as an encoded
/// <c>google.rpc.Status</c> (code, message and details), which the front turns back into the same gRPC status.
/// <paramref name="Cause"/> is what the client must not see (a store's path, a driver's words), for the front's log only.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TenantReply(byte[]? Response, byte[]? Failure, string? Cause)
{
    public static TenantReply Answered(byte[] response) => new(response, null, null);

    public static TenantReply Failed(byte[] status, string? cause) => new(null, status, cause);
}
