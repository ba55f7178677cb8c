namespace AlignmentEngine.Storage;

/// <summary>
/// A write sent with a request_id (AIP-155), kept in the change log row of the version it committed: what a retry
/// with the same id is checked against and answered with.
/// </summary>
/// <param name="RequestId">The id, normalized (a UUID's lower-case 36-character form).</param>
/// <param name="Fingerprint">The SHA-256 of what the request asked; a retry that asks something else is refused.</param>
/// <param name="Response">The response message as it was sent (protobuf bytes).</param>
public sealed record StoredRequest(string RequestId, byte[] Fingerprint, byte[] Response)
{
    /// <summary>The version the write committed (0 before it is committed).</summary>
    public long Version { get; init; }
}
