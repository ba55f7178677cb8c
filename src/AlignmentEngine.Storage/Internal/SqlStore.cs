using System.Data.Common;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// The store on any SQL database: the statements come from the <see cref="SqlDialect"/> (standard SQL where the
/// databases agree), bound through Dapper. Each call opens a pooled connection and runs one transaction. API keys
/// are kept by <see cref="SqlApiKeyStore"/>.
/// </summary>
internal sealed class SqlStore : IAlignmentStore
{
    private static readonly string EmptySettings = SettingsJson.Write(new GoalTree());

    private readonly SqlDialect _dialect;
    private readonly StoreCalls _calls;
    private readonly SqlApiKeyStore _apiKeys;

    public SqlStore(SqlDialect dialect)
    {
        _dialect = dialect;
        _calls = new StoreCalls(dialect);
        _apiKeys = new SqlApiKeyStore(dialect, _calls);
        Webhooks = new SqlWebhookStore(dialect, _calls);
    }

    public string Description => _dialect.Name;

    public IWebhookStore Webhooks { get; }

    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        _calls.RunAsync("Migrate", null, _ => Migrator.RunAsync(_dialect, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<TenantVersion>> ListTenantsAsync(CancellationToken cancellationToken = default) => _calls.RunAsync<IReadOnlyList<TenantVersion>>("ListTenants", null, async span =>
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await _dialect.ListTenants.QueryAsync<TenantVersion>(connection, NoArguments.Value, null, cancellationToken).ConfigureAwait(false);
        return StoreCalls.Counted(span, rows.OrderBy(t => t.Tenant, StringComparer.Ordinal).ToList());
    }, cancellationToken);

    public Task<StoredTenant?> LoadTenantAsync(string tenant, CancellationToken cancellationToken = default) => _calls.RunAsync("LoadTenant", tenant, async span =>
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await _dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var key = new TenantKey(tenant);
        var head = (await _dialect.TenantHead.QueryAsync<TenantRow>(connection, key, transaction, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        if (head is null) return null;

        // Two bulk reads, whatever the size: every alignment, then every goal, read with typed getters (no per-row
        // mapping or boxing: this is the path a million-goal start-up takes).
        var parents = new Dictionary<string, ParentLinks>(StringComparer.Ordinal);
        using (var command = _dialect.TenantAlignments.Command(connection, key, transaction))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    AddParentLink(parents, reader);
                }
            }
        }

        var goals = new List<GoalDefinition>();
        using (var command = _dialect.TenantGoals.Command(connection, key, transaction))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var id = reader.GetString(0);
                    goals.Add(GoalRow.Read(reader, parents.TryGetValue(id, out var links) ? links.ToArray() : []));
                }
            }
        }

        goals.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        span?.SetTag(StoreTelemetry.RowsAttribute, goals.Count);
        var tree = SettingsJson.Read(head.Settings) with { Goals = goals };
        return new StoredTenant(tenant, head.Version, Instants.FromStored(head.CommittedAt), tree);
    }, cancellationToken);

    public Task AppendAsync(ChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return _calls.RunAsync("Append", changes.Tenant, async span =>
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var tenant = changes.Tenant;
            var committedAt = Instants.ToStored(changes.CommittedAt);
            await MoveVersionAsync(connection, transaction, tenant, changes.Version, committedAt, settings: null, changes.GoalCount, cancellationToken).ConfigureAwait(false);
            await _dialect.InsertLogEntry.ExecuteAsync(
                connection,
                new LogInsert(tenant, changes.Version, LogRow.Changes, committedAt, changes.AsOf.DayNumber, ChangeJson.Write(changes.Changes), changes.Request),
                transaction,
                cancellationToken).ConfigureAwait(false);
            foreach (var goal in changes.Goals)
            {
                await _dialect.UpsertGoal.ExecuteAsync(connection, GoalRow.From(tenant, goal), transaction, cancellationToken).ConfigureAwait(false);
                await _dialect.DeleteAlignmentsOf.ExecuteAsync(connection, new GoalKey(tenant, goal.Id), transaction, cancellationToken).ConfigureAwait(false);
                if (goal.Parents.Count > 0) await _dialect.InsertAlignment.ExecuteEachAsync(connection, AlignmentRows(tenant, goal), transaction, cancellationToken).ConfigureAwait(false);
            }

            foreach (var id in changes.Removed)
            {
                await _dialect.DeleteGoal.ExecuteAsync(connection, new GoalKey(tenant, id), transaction, cancellationToken).ConfigureAwait(false);
                await _dialect.DeleteAlignmentsOf.ExecuteAsync(connection, new GoalKey(tenant, id), transaction, cancellationToken).ConfigureAwait(false);
            }

            var checkIns = changes.Changes.OfType<CheckIn>()
                .Select((c, k) => new CheckInInsert(tenant, changes.Version, k, c.Id, c.Value, c.At is { } at ? Instants.ToStored(at) : null, c.Confidence, committedAt))
                .ToList();
            if (checkIns.Count > 0) await _dialect.InsertCheckIn.ExecuteEachAsync(connection, checkIns, transaction, cancellationToken).ConfigureAwait(false);
            await SqlWebhookStore.InsertAsync(_dialect, connection, transaction, tenant, changes.Version, committedAt, changes.Outbox, cancellationToken).ConfigureAwait(false);

            // Not cancelled once begun: the caller learns whether the change committed.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            span?.SetTag(StoreTelemetry.RowsAttribute, 1 + changes.Goals.Count + changes.Removed.Count + checkIns.Count);
        }, cancellationToken);
    }

    public Task ReplaceAsync(TreeSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var body = SnapshotCodec.Write(snapshot.Tree);
        return _calls.RunAsync("Replace", snapshot.Tenant, async span =>
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var committedAt = Instants.ToStored(snapshot.CommittedAt);
            var tenant = snapshot.Tenant;
            await MoveVersionAsync(connection, transaction, tenant, snapshot.Version, committedAt, SettingsJson.Write(snapshot.Tree), snapshot.Tree.Goals.Count, cancellationToken).ConfigureAwait(false);
            await _dialect.DeleteTenantGoals.ExecuteAsync(connection, new TenantKey(tenant), transaction, cancellationToken).ConfigureAwait(false);
            await _dialect.DeleteTenantAlignments.ExecuteAsync(connection, new TenantKey(tenant), transaction, cancellationToken).ConfigureAwait(false);
            await _dialect.BulkInsertAsync(
                connection, transaction, "goals", tenant, GoalRow.Columns, snapshot.Tree.Goals.Select(g => GoalRow.From(tenant, g).Values()), cancellationToken).ConfigureAwait(false);
            await _dialect.BulkInsertAsync(
                connection, transaction, "alignments", tenant, AlignmentRow.Columns, snapshot.Tree.Goals.SelectMany(g => AlignmentRows(tenant, g)).Select(r => r.Values()), cancellationToken)
                .ConfigureAwait(false);
            await _dialect.InsertLogEntry.ExecuteAsync(
                connection, new LogInsert(tenant, snapshot.Version, LogRow.Snapshot, committedAt, snapshot.AsOf.DayNumber, null, snapshot.Request), transaction, cancellationToken)
                .ConfigureAwait(false);
            await _dialect.InsertSnapshot.ExecuteAsync(connection, new SnapshotInsert(tenant, snapshot.Version, body), transaction, cancellationToken).ConfigureAwait(false);
            await SqlWebhookStore.InsertAsync(_dialect, connection, transaction, tenant, snapshot.Version, committedAt, snapshot.Outbox, cancellationToken).ConfigureAwait(false);

            // Not cancelled once begun: the caller learns whether the import committed.
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            span?.SetTag(StoreTelemetry.RowsAttribute, snapshot.Tree.Goals.Count);
        }, cancellationToken);
    }

    public Task<int?> CountGoalsAsync(string tenant, CancellationToken cancellationToken = default) => _calls.RunAsync("CountGoals", tenant, async span =>
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var count = await _dialect.TenantGoalCount.ScalarAsync<long?>(connection, new TenantKey(tenant), null, cancellationToken).ConfigureAwait(false);
        span?.SetTag(StoreTelemetry.RowsAttribute, count is null ? 0 : 1);
        return count is { } goals ? (int?)goals : null;
    }, cancellationToken);

    public Task<StoredRequest?> FindRequestAsync(string tenant, string requestId, CancellationToken cancellationToken = default) => _calls.RunAsync("FindRequest", tenant, async span =>
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        var row = (await _dialect.FindRequest.QueryAsync<RequestRow>(connection, new RequestLookup(tenant, requestId), null, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
        span?.SetTag(StoreTelemetry.RowsAttribute, row is null ? 0 : 1);
        return row is null ? null : new StoredRequest(row.RequestId, row.RequestHash, row.Response) { Version = row.Version };
    }, cancellationToken);

    public Task<IReadOnlyList<LogEntry>> ReadLogAsync(string tenant, long afterVersion, CancellationToken cancellationToken = default) =>
        _calls.RunAsync<IReadOnlyList<LogEntry>>("ReadLog", tenant, async span =>
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            var rows = await _dialect.ReadLog.QueryAsync<LogRow>(connection, new LogAfter(tenant, afterVersion), null, cancellationToken).ConfigureAwait(false);
            return StoreCalls.Counted(span, rows.Select(r => r.ToEntry(null)).ToList());
        }, cancellationToken);

    public Task<IReadOnlyList<LogEntry>> ReadHistoryAsync(string tenant, DateTimeOffset from, DateTimeOffset until, CancellationToken cancellationToken = default) =>
        _calls.RunAsync<IReadOnlyList<LogEntry>>("ReadHistory", tenant, async span =>
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await _dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var start = await _dialect.LastSnapshotBefore.ScalarAsync<long?>(
                connection, new SnapshotBefore(tenant, LogRow.Snapshot, Instants.ToStored(from)), transaction, cancellationToken).ConfigureAwait(false) ?? 1;
            var rows = await _dialect.ReadLogRange.QueryAsync<LogRow>(connection, new LogRange(tenant, start, Instants.ToStored(until)), transaction, cancellationToken).ConfigureAwait(false);
            return StoreCalls.Counted(span, await WithTreesAsync(connection, transaction, tenant, rows, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    public Task<IReadOnlyList<LogEntry>> ReadVersionsAsync(string tenant, long afterVersion, long untilVersion, CancellationToken cancellationToken = default) =>
        _calls.RunAsync<IReadOnlyList<LogEntry>>("ReadVersions", tenant, async span =>
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await _dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var start = await _dialect.LastSnapshotThrough.ScalarAsync<long?>(
                connection, new SnapshotThrough(tenant, LogRow.Snapshot, afterVersion), transaction, cancellationToken).ConfigureAwait(false) ?? 1;
            var rows = await _dialect.ReadLogVersions.QueryAsync<LogRow>(connection, new VersionRange(tenant, start, untilVersion), transaction, cancellationToken).ConfigureAwait(false);
            return StoreCalls.Counted(span, await WithTreesAsync(connection, transaction, tenant, rows, cancellationToken).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>Log rows as entries, each snapshot with its tree.</summary>
    private async Task<List<LogEntry>> WithTreesAsync(DbConnection connection, DbTransaction transaction, string tenant, IEnumerable<LogRow> rows, CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>();
        foreach (var row in rows)
        {
            GoalTree? tree = null;
            if (row.Kind == LogRow.Snapshot)
            {
                var body = (await _dialect.SnapshotBody.QueryAsync<byte[]>(connection, new VersionKey(tenant, row.Version), transaction, cancellationToken).ConfigureAwait(false)).Single();
                tree = SnapshotCodec.Read(body);
            }

            entries.Add(row.ToEntry(tree));
        }

        return entries;
    }

    public Task<IReadOnlyList<StoredCheckIn>> ReadCheckInsAsync(string tenant, string goalId, CancellationToken cancellationToken = default) =>
        _calls.RunAsync<IReadOnlyList<StoredCheckIn>>("ReadCheckIns", tenant, async span =>
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            var rows = await _dialect.GoalCheckIns.QueryAsync<CheckInRow>(connection, new GoalKey(tenant, goalId), null, cancellationToken).ConfigureAwait(false);
            return StoreCalls.Counted(span, rows
                .Select(r => new StoredCheckIn(r.Version, r.GoalId, r.Value, r.At is { } at ? Instants.FromStored(at) : null, r.Confidence, Instants.FromStored(r.CommittedAt)))
                .ToList());
        }, cancellationToken);

    public Task AddApiKeyAsync(StoredApiKey key, CancellationToken cancellationToken = default) => _apiKeys.AddAsync(key, cancellationToken);

    public Task<IReadOnlyList<StoredApiKey>> ListApiKeysAsync(CancellationToken cancellationToken = default) => _apiKeys.ListAsync(cancellationToken);

    public Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset at, CancellationToken cancellationToken = default) => _apiKeys.RevokeAsync(id, at, cancellationToken);

    public async Task<bool> CanWriteAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await _dialect.ProbeWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (_dialect.IsUnavailable(e))
        {
            return false;
        }
    }

    public void Dispose()
    {
        // Connections are pooled by the client libraries and returned after every call: nothing is held here.
    }

    /// <summary>
    /// Moves the tenant from <paramref name="version"/> - 1 to <paramref name="version"/>, where it holds
    /// <paramref name="goalCount"/> goals, or finds that another writer got there first. The conditional update is the
    /// check; the change log's key is the backstop.
    /// </summary>
    private async Task MoveVersionAsync(
        DbConnection connection, DbTransaction transaction, string tenant, long version, long committedAt, string? settings, long goalCount, CancellationToken cancellationToken)
    {
        if (version == 1)
        {
            await _dialect.InsertTenantIfAbsent.ExecuteAsync(connection, new NewTenant(tenant, settings ?? EmptySettings, committedAt), transaction, cancellationToken).ConfigureAwait(false);
        }

        var moved = await _dialect.MoveVersion.ExecuteAsync(connection, new VersionMove(tenant, version, version - 1, committedAt, settings, goalCount), transaction, cancellationToken).ConfigureAwait(false);
        if (moved != 1) throw new StoreConflictException($"tenant '{tenant}' is no longer at version {version - 1}: another writer committed first");
    }

    /// <summary>One alignment row of the bulk read (child_id, position, parent_id, weight, contributes) into its child's links.</summary>
    private static void AddParentLink(Dictionary<string, ParentLinks> parents, DbDataReader reader)
    {
        var child = reader.GetString(0);
        var link = new ParentLink(reader.GetString(2), reader.GetDouble(3), reader.GetInt64(4) != 0);
        ref var links = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(parents, child, out _);
        links.Add(reader.GetInt64(1), link);
    }

    private static IEnumerable<AlignmentRow> AlignmentRows(string tenant, GoalDefinition goal) =>
        goal.Parents.Select((link, k) => new AlignmentRow
        {
            Tenant = tenant,
            ChildId = goal.Id,
            Position = k,
            ParentId = link.ParentId,
            Weight = link.Weight,
            Contributes = link.Contributes ? 1 : 0,
        });

    private sealed class TenantRow
    {
        public long Version { get; set; }
        public string Settings { get; set; } = string.Empty;
        public long CommittedAt { get; set; }
    }

    private sealed class RequestRow
    {
        public long Version { get; set; }
        public string RequestId { get; set; } = string.Empty;
        public byte[] RequestHash { get; set; } = [];
        public byte[] Response { get; set; } = [];
    }

    private sealed class CheckInRow
    {
        public long Version { get; set; }
        public string GoalId { get; set; } = string.Empty;
        public double Value { get; set; }
        public long? At { get; set; }
        public double? Confidence { get; set; }
        public long CommittedAt { get; set; }
    }
}
