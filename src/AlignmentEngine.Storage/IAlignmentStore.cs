namespace AlignmentEngine.Storage;

/// <summary>
/// Where tenants live durably. Every method is one database transaction, asynchronous (the database's driver does its
/// I/O without holding a thread; on SQLite the call completes before it returns) and safe to call from many threads.
/// Failures: <see cref="StoreConflictException"/> when another writer already committed the version,
/// <see cref="StoreUnavailableException"/> when the database cannot be reached or written; nothing is committed in
/// either case. A cancelled token ends a call with <see cref="OperationCanceledException"/> and commits nothing; a
/// write whose commit has begun is not cancelled (so that it is either committed or not, never unknown to the caller
/// because it gave up waiting).
/// </summary>
public interface IAlignmentStore : IDisposable
{
    /// <summary>What the store is, for logs and messages (never the password).</summary>
    string Description { get; }

    /// <summary>
    /// Brings the schema up to the version this code knows; safe to run again and from several processes at once.
    /// Throws <see cref="StoreSchemaException"/> on a schema newer than the code.
    /// </summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Every tenant and its version, sorted by tenant.</summary>
    Task<IReadOnlyList<TenantVersion>> ListTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>A tenant's current tree and version, in bulk (a few queries whatever its size); null when unknown.</summary>
    Task<StoredTenant?> LoadTenantAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// A tenant's goal count as its last commit left it, kept on the tenant's row (one row read, whatever its size); null
    /// when the tenant is unknown. What placement reads to know a tenant's size before loading it.
    /// </summary>
    Task<int?> CountGoalsAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits a change set: its log entry (with its request_id, if any), its goals' new rows, its check-ins, its webhook
    /// outbox rows and the tenant's version and goal count. A request_id the tenant's log already holds is a <see cref="StoreConflictException"/>.
    /// </summary>
    Task AppendAsync(ChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>Replaces a tenant's whole tree (an import), logged as a snapshot entry (with its request_id, as <see cref="AppendAsync"/>).</summary>
    Task ReplaceAsync(TreeSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>The write the tenant committed with <paramref name="requestId"/> (normalized), with its version; null when none.</summary>
    Task<StoredRequest?> FindRequestAsync(string tenant, string requestId, CancellationToken cancellationToken = default);

    /// <summary>The log entries after <paramref name="afterVersion"/>, in order; snapshot entries carry no tree.</summary>
    Task<IReadOnlyList<LogEntry>> ReadLogAsync(string tenant, long afterVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// The entries that rebuild the tenant as it stood at every moment in [<paramref name="from"/>, <paramref name="until"/>):
    /// starting with the last snapshot committed before <paramref name="from"/> (or the first entry), through the last
    /// entry committed before <paramref name="until"/>. Snapshot entries carry their tree.
    /// </summary>
    Task<IReadOnlyList<LogEntry>> ReadHistoryAsync(string tenant, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// The entries that rebuild the tenant as it stood at <paramref name="afterVersion"/> and at every version after it
    /// through <paramref name="untilVersion"/>: starting with the last snapshot at or before <paramref name="afterVersion"/>
    /// (or the first entry), in order. Snapshot entries carry their tree. Resumes a watch the memory no longer reaches.
    /// </summary>
    Task<IReadOnlyList<LogEntry>> ReadVersionsAsync(string tenant, long afterVersion, long untilVersion, CancellationToken cancellationToken = default);

    /// <summary>A goal's check-ins in commit order (the append-only history).</summary>
    Task<IReadOnlyList<StoredCheckIn>> ReadCheckInsAsync(string tenant, string goalId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new API key; its id must be new.</summary>
    Task AddApiKeyAsync(StoredApiKey key, CancellationToken cancellationToken = default);

    /// <summary>Every API key, revoked ones included, sorted by tenant, then creation time, then id.</summary>
    Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks a key revoked at <paramref name="at"/>; false when no such key exists or it already is revoked.</summary>
    Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Webhook subscriptions and their outbox.</summary>
    IWebhookStore Webhooks { get; }

    /// <summary>Whether a write could be committed now; false instead of throwing when the database is unavailable.</summary>
    Task<bool> CanWriteAsync(CancellationToken cancellationToken = default);
}
