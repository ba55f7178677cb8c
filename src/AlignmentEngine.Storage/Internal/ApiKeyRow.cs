namespace AlignmentEngine.Storage.Internal;

/// <summary>One row of the api_keys table: the insert's parameters and what a listing reads back.</summary>
internal sealed class ApiKeyRow
{
    public string Id { get; set; } = string.Empty;
    public string Tenant { get; set; } = string.Empty;

    /// <summary>Comma-separated scope names.</summary>
    public string Scopes { get; set; } = string.Empty;
    public byte[] Hash { get; set; } = [];
    public long CreatedAt { get; set; }
    public long? RevokedAt { get; set; }

    public static ApiKeyRow From(StoredApiKey key) => new()
    {
        Id = key.Id,
        Tenant = key.Tenant,
        Scopes = string.Join(',', key.Scopes),
        Hash = key.Hash,
        CreatedAt = Instants.ToStored(key.CreatedAt),
        RevokedAt = key.RevokedAt is { } at ? Instants.ToStored(at) : null,
    };

    public StoredApiKey ToKey() => new(
        Id,
        Tenant,
        Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Hash,
        Instants.FromStored(CreatedAt),
        RevokedAt is { } at ? Instants.FromStored(at) : null);
}
