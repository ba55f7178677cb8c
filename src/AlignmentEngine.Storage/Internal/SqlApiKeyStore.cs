namespace AlignmentEngine.Storage.Internal;

/// <summary>The API keys part of the store: one table, hashes only, each call its own statement.</summary>
internal sealed class SqlApiKeyStore(SqlDialect dialect, StoreCalls calls)
{
    public Task AddAsync(StoredApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return calls.RunAsync("AddApiKey", key.Tenant, async _ =>
        {
            await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await dialect.InsertApiKey.ExecuteAsync(connection, ApiKeyRow.From(key), null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<StoredApiKey>> ListAsync(CancellationToken cancellationToken) => calls.RunAsync<IReadOnlyList<StoredApiKey>>("ListApiKeys", null, async span =>
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await dialect.ListApiKeys.QueryAsync<ApiKeyRow>(connection, NoArguments.Value, null, cancellationToken).ConfigureAwait(false);
        return StoreCalls.Counted(span, rows
            .Select(r => r.ToKey())
            .OrderBy(k => k.Tenant, StringComparer.Ordinal)
            .ThenBy(k => k.CreatedAt)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToList());
    }, cancellationToken);

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => calls.RunAsync("RevokeApiKey", null, async _ =>
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await dialect.RevokeApiKey.ExecuteAsync(connection, new KeyRevocation(id, Instants.ToStored(at)), null, cancellationToken).ConfigureAwait(false) == 1;
    }, cancellationToken);
}
