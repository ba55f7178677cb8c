namespace AlignmentEngine.Storage.Internal;

/// <summary>The API keys part of the store: one table, hashes only, each call its own statement.</summary>
internal sealed class SqlApiKeyStore(SqlDialect dialect, StoreCalls calls)
{
    public void Add(StoredApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        calls.Run(nameof(IAlignmentStore.AddApiKey), key.Tenant, _ =>
        {
            using var connection = dialect.Open();
            dialect.InsertApiKey.Execute(connection, ApiKeyRow.From(key));
        });
    }

    public IReadOnlyList<StoredApiKey> List() => calls.Run(nameof(IAlignmentStore.ListApiKeys), null, span =>
    {
        using var connection = dialect.Open();
        return StoreCalls.Counted(span, dialect.ListApiKeys.Query<ApiKeyRow>(connection, NoArguments.Value)
            .Select(r => r.ToKey())
            .OrderBy(k => k.Tenant, StringComparer.Ordinal)
            .ThenBy(k => k.CreatedAt)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToList());
    });

    public bool Revoke(string id, DateTimeOffset at) => calls.Run(nameof(IAlignmentStore.RevokeApiKey), null, _ =>
    {
        using var connection = dialect.Open();
        return dialect.RevokeApiKey.Execute(connection, new KeyRevocation(id, Instants.ToStored(at))) == 1;
    });
}
