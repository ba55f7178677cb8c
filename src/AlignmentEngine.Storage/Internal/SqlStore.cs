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

    public void Migrate() => _calls.Run(nameof(Migrate), null, _ => Migrator.Run(_dialect));

    public IReadOnlyList<TenantVersion> ListTenants() => _calls.Run(nameof(ListTenants), null, span =>
    {
        using var connection = _dialect.Open();
        return StoreCalls.Counted(span, _dialect.ListTenants.Query<TenantVersion>(connection, NoArguments.Value)
            .OrderBy(t => t.Tenant, StringComparer.Ordinal)
            .ToList());
    });

    public StoredTenant? LoadTenant(string tenant) => _calls.Run(nameof(LoadTenant), tenant, span =>
    {
        using var connection = _dialect.Open();
        using var transaction = _dialect.BeginRead(connection);
        var key = new TenantKey(tenant);
        var head = _dialect.TenantHead.Query<TenantRow>(connection, key, transaction).SingleOrDefault();
        if (head is null) return null;

        // Two bulk reads, whatever the size: every alignment, then every goal, read with typed getters (no per-row
        // mapping or boxing: this is the path a million-goal start-up takes).
        var parents = new Dictionary<string, ParentLinks>(StringComparer.Ordinal);
        using (var command = _dialect.TenantAlignments.Command(connection, key, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var child = reader.GetString(0);
                var link = new ParentLink(reader.GetString(2), reader.GetDouble(3), reader.GetInt64(4) != 0);
                ref var links = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(parents, child, out _);
                links.Add(reader.GetInt64(1), link);
            }
        }

        var goals = new List<GoalDefinition>();
        using (var command = _dialect.TenantGoals.Command(connection, key, transaction))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var id = reader.GetString(0);
                goals.Add(GoalRow.Read(reader, parents.TryGetValue(id, out var links) ? links.ToArray() : []));
            }
        }

        goals.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        span?.SetTag(StoreTelemetry.RowsAttribute, goals.Count);
        var tree = SettingsJson.Read(head.Settings) with { Goals = goals };
        return new StoredTenant(tenant, head.Version, Instants.FromStored(head.CommittedAt), tree);
    });

    public void Append(ChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        _calls.Run(nameof(Append), changes.Tenant, span =>
        {
            using var connection = _dialect.Open();
            using var transaction = connection.BeginTransaction();
            var tenant = changes.Tenant;
            var committedAt = Instants.ToStored(changes.CommittedAt);
            MoveVersion(connection, transaction, tenant, changes.Version, committedAt, settings: null);
            _dialect.InsertLogEntry.Execute(
                connection, new LogInsert(tenant, changes.Version, LogRow.Changes, committedAt, changes.AsOf.DayNumber, ChangeJson.Write(changes.Changes), changes.Request), transaction);
            foreach (var goal in changes.Goals)
            {
                _dialect.UpsertGoal.Execute(connection, GoalRow.From(tenant, goal), transaction);
                _dialect.DeleteAlignmentsOf.Execute(connection, new GoalKey(tenant, goal.Id), transaction);
                if (goal.Parents.Count > 0) _dialect.InsertAlignment.ExecuteEach(connection, AlignmentRows(tenant, goal), transaction);
            }

            foreach (var id in changes.Removed)
            {
                _dialect.DeleteGoal.Execute(connection, new GoalKey(tenant, id), transaction);
                _dialect.DeleteAlignmentsOf.Execute(connection, new GoalKey(tenant, id), transaction);
            }

            var checkIns = changes.Changes.OfType<CheckIn>()
                .Select((c, k) => new CheckInInsert(tenant, changes.Version, k, c.Id, c.Value, c.At is { } at ? Instants.ToStored(at) : null, c.Confidence, committedAt))
                .ToList();
            if (checkIns.Count > 0) _dialect.InsertCheckIn.ExecuteEach(connection, checkIns, transaction);
            SqlWebhookStore.Insert(_dialect, connection, transaction, tenant, changes.Version, committedAt, changes.Outbox);

            transaction.Commit();
            span?.SetTag(StoreTelemetry.RowsAttribute, 1 + changes.Goals.Count + changes.Removed.Count + checkIns.Count);
        });
    }

    public void Replace(TreeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var body = SnapshotCodec.Write(snapshot.Tree);
        _calls.Run(nameof(Replace), snapshot.Tenant, span =>
        {
            using var connection = _dialect.Open();
            using var transaction = connection.BeginTransaction();
            var committedAt = Instants.ToStored(snapshot.CommittedAt);
            var tenant = snapshot.Tenant;
            MoveVersion(connection, transaction, tenant, snapshot.Version, committedAt, SettingsJson.Write(snapshot.Tree));
            _dialect.DeleteTenantGoals.Execute(connection, new TenantKey(tenant), transaction);
            _dialect.DeleteTenantAlignments.Execute(connection, new TenantKey(tenant), transaction);
            _dialect.BulkInsert(connection, transaction, "goals", tenant, GoalRow.Columns, snapshot.Tree.Goals.Select(g => GoalRow.From(tenant, g).Values()));
            _dialect.BulkInsert(connection, transaction, "alignments", tenant, AlignmentRow.Columns, snapshot.Tree.Goals.SelectMany(g => AlignmentRows(tenant, g)).Select(r => r.Values()));
            _dialect.InsertLogEntry.Execute(connection, new LogInsert(tenant, snapshot.Version, LogRow.Snapshot, committedAt, snapshot.AsOf.DayNumber, null, snapshot.Request), transaction);
            _dialect.InsertSnapshot.Execute(connection, new SnapshotInsert(tenant, snapshot.Version, body), transaction);
            SqlWebhookStore.Insert(_dialect, connection, transaction, tenant, snapshot.Version, committedAt, snapshot.Outbox);
            transaction.Commit();
            span?.SetTag(StoreTelemetry.RowsAttribute, snapshot.Tree.Goals.Count);
        });
    }

    public StoredRequest? FindRequest(string tenant, string requestId) => _calls.Run(nameof(FindRequest), tenant, span =>
    {
        using var connection = _dialect.Open();
        var row = _dialect.FindRequest.Query<RequestRow>(connection, new RequestLookup(tenant, requestId)).SingleOrDefault();
        span?.SetTag(StoreTelemetry.RowsAttribute, row is null ? 0 : 1);
        return row is null ? null : new StoredRequest(row.RequestId, row.RequestHash, row.Response) { Version = row.Version };
    });

    public IReadOnlyList<LogEntry> ReadLog(string tenant, long afterVersion) => _calls.Run(nameof(ReadLog), tenant, span =>
    {
        using var connection = _dialect.Open();
        return StoreCalls.Counted(span, _dialect.ReadLog.Query<LogRow>(connection, new LogAfter(tenant, afterVersion))
            .Select(r => r.ToEntry(null))
            .ToList());
    });

    public IReadOnlyList<LogEntry> ReadHistory(string tenant, DateTimeOffset from, DateTimeOffset until) => _calls.Run(nameof(ReadHistory), tenant, span =>
    {
        using var connection = _dialect.Open();
        using var transaction = _dialect.BeginRead(connection);
        var start = _dialect.LastSnapshotBefore.Scalar<long?>(connection, new SnapshotBefore(tenant, LogRow.Snapshot, Instants.ToStored(from)), transaction) ?? 1;
        var rows = _dialect.ReadLogRange.Query<LogRow>(connection, new LogRange(tenant, start, Instants.ToStored(until)), transaction);
        return StoreCalls.Counted(span, WithTrees(connection, transaction, tenant, rows));
    });

    public IReadOnlyList<LogEntry> ReadVersions(string tenant, long afterVersion, long untilVersion) => _calls.Run(nameof(ReadVersions), tenant, span =>
    {
        using var connection = _dialect.Open();
        using var transaction = _dialect.BeginRead(connection);
        var start = _dialect.LastSnapshotThrough.Scalar<long?>(connection, new SnapshotThrough(tenant, LogRow.Snapshot, afterVersion), transaction) ?? 1;
        var rows = _dialect.ReadLogVersions.Query<LogRow>(connection, new VersionRange(tenant, start, untilVersion), transaction);
        return StoreCalls.Counted(span, WithTrees(connection, transaction, tenant, rows));
    });

    /// <summary>Log rows as entries, each snapshot with its tree.</summary>
    private List<LogEntry> WithTrees(DbConnection connection, DbTransaction transaction, string tenant, IEnumerable<LogRow> rows)
    {
        var entries = new List<LogEntry>();
        foreach (var row in rows.ToList())
        {
            GoalTree? tree = null;
            if (row.Kind == LogRow.Snapshot)
            {
                var body = _dialect.SnapshotBody.Query<byte[]>(connection, new VersionKey(tenant, row.Version), transaction).Single();
                tree = SnapshotCodec.Read(body);
            }

            entries.Add(row.ToEntry(tree));
        }

        return entries;
    }

    public IReadOnlyList<StoredCheckIn> ReadCheckIns(string tenant, string goalId) => _calls.Run(nameof(ReadCheckIns), tenant, span =>
    {
        using var connection = _dialect.Open();
        return StoreCalls.Counted(span, _dialect.GoalCheckIns.Query<CheckInRow>(connection, new GoalKey(tenant, goalId))
            .Select(r => new StoredCheckIn(r.Version, r.GoalId, r.Value, r.At is { } at ? Instants.FromStored(at) : null, r.Confidence, Instants.FromStored(r.CommittedAt)))
            .ToList());
    });

    public void AddApiKey(StoredApiKey key) => _apiKeys.Add(key);

    public IReadOnlyList<StoredApiKey> ListApiKeys() => _apiKeys.List();

    public bool RevokeApiKey(string id, DateTimeOffset at) => _apiKeys.Revoke(id, at);

    public bool CanWrite()
    {
        try
        {
            using var connection = _dialect.Open();
            _dialect.ProbeWrite(connection);
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
    /// Moves the tenant from <paramref name="version"/> - 1 to <paramref name="version"/>, or finds that another writer
    /// got there first. The conditional update is the check; the change log's key is the backstop.
    /// </summary>
    private void MoveVersion(DbConnection connection, DbTransaction transaction, string tenant, long version, long committedAt, string? settings)
    {
        if (version == 1) _dialect.InsertTenantIfAbsent.Execute(connection, new NewTenant(tenant, settings ?? EmptySettings, committedAt), transaction);

        var moved = _dialect.MoveVersion.Execute(connection, new VersionMove(tenant, version, version - 1, committedAt, settings), transaction);
        if (moved != 1) throw new StoreConflictException($"tenant '{tenant}' is no longer at version {version - 1}: another writer committed first");
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
