using AlignmentEngine.Storage;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// A write sent with a request_id (AIP-155): the id, normalized, and the fingerprint (SHA-256) of what the request
/// asks, against which a retry with the same id is checked.
/// </summary>
internal sealed record RequestKey(string Id, byte[] Fingerprint)
{
    /// <summary>The request as its change log row keeps it, with the response it is answered.</summary>
    public StoredRequest Answered(IMessage response) => new(Id, Fingerprint, response.ToByteArray());
}
