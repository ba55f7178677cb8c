namespace AlignmentEngine.Storage;

/// <summary>
/// Where tenants live durably. Every method is one database transaction, synchronous (callers hold a tenant's
/// lock for a short commit) and safe to call from many threads. Failures: <see cref="StoreConflictException"/>
/// when another writer already committed the version, <see cref="StoreUnavailableException"/> when the database
/// cannot be reached or written; nothing is committed in either case.
/// </summary>
public interface IAlignmentStore : IDisposable
{
    /// <summary>What the store is, for logs and messages (never the password).</summary>
    string Description { get; }

    /// <summary>
    /// Brings the schema up to the version this code knows; safe to run again and from several processes at once.
    /// Throws <see cref="StoreSchemaException"/> on a schema newer than the code.
    /// </summary>
    void Migrate();

    /// <summary>Every tenant and its version, sorted by tenant.</summary>
    IReadOnlyList<TenantVersion> ListTenants();

    /// <summary>A tenant's current tree and version, in bulk (a few queries whatever its size); null when unknown.</summary>
    StoredTenant? LoadTenant(string tenant);

    /// <summary>
    /// Commits a change set: its log entry (with its request_id, if any), its goals' new rows, its check-ins, its webhook
    /// outbox rows and the tenant's version. A request_id the tenant's log already holds is a <see cref="StoreConflictException"/>.
    /// </summary>
    void Append(ChangeSet changes);

    /// <summary>Replaces a tenant's whole tree (an import), logged as a snapshot entry (with its request_id, as <see cref="Append"/>).</summary>
    void Replace(TreeSnapshot snapshot);

    /// <summary>The write the tenant committed with <paramref name="requestId"/> (normalized), with its version; null when none.</summary>
    StoredRequest? FindRequest(string tenant, string requestId);

    /// <summary>The log entries after <paramref name="afterVersion"/>, in order; snapshot entries carry no tree.</summary>
    IReadOnlyList<LogEntry> ReadLog(string tenant, long afterVersion);

    /// <summary>
    /// The entries that rebuild the tenant as it stood at every moment in [<paramref name="from"/>, <paramref name="until"/>):
    /// starting with the last snapshot committed before <paramref name="from"/> (or the first entry), through the last
    /// entry committed before <paramref name="until"/>. Snapshot entries carry their tree.
    /// </summary>
    IReadOnlyList<LogEntry> ReadHistory(string tenant, DateTimeOffset from, DateTimeOffset until);

    /// <summary>
    /// The entries that rebuild the tenant as it stood at <paramref name="afterVersion"/> and at every version after it
    /// through <paramref name="untilVersion"/>: starting with the last snapshot at or before <paramref name="afterVersion"/>
    /// (or the first entry), in order. Snapshot entries carry their tree. Resumes a watch the memory no longer reaches.
    /// </summary>
    IReadOnlyList<LogEntry> ReadVersions(string tenant, long afterVersion, long untilVersion);

    /// <summary>A goal's check-ins in commit order (the append-only history).</summary>
    IReadOnlyList<StoredCheckIn> ReadCheckIns(string tenant, string goalId);

    /// <summary>Stores a new API key; its id must be new.</summary>
    void AddApiKey(StoredApiKey key);

    /// <summary>Every API key, revoked ones included, sorted by tenant, then creation time, then id.</summary>
    IReadOnlyList<StoredApiKey> ListApiKeys();

    /// <summary>Marks a key revoked at <paramref name="at"/>; false when no such key exists or it already is revoked.</summary>
    bool RevokeApiKey(string id, DateTimeOffset at);

    /// <summary>Webhook subscriptions and their outbox.</summary>
    IWebhookStore Webhooks { get; }

    /// <summary>Whether a write could be committed now; false instead of throwing when the database is unavailable.</summary>
    bool CanWrite();
}
