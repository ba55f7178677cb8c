namespace AlignmentEngine.Storage;

/// <summary>
/// An API key as stored: its public id, the tenant and scopes it grants, the SHA-256 of its secret (never the
/// secret itself), when it was created and, once revoked, when.
/// </summary>
public sealed record StoredApiKey(string Id, string Tenant, IReadOnlyList<string> Scopes, byte[] Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);
