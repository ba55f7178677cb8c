using System.Data.Common;
using System.Diagnostics;
using Dapper;
using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// The store on any SQL database, in standard SQL through Dapper; what differs is asked of the
/// <see cref="SqlDialect"/>. Each call opens a pooled connection and runs one transaction.
/// </summary>
internal sealed class SqlStore(SqlDialect dialect) : IAlignmentStore
{
    private static readonly string EmptySettings = SettingsJson.Write(new GoalTree());

    private SqlWebhookStore? _webhooks;

    public string Description => dialect.Name;

    // Made on first use (it needs this store's Run); two threads racing make two equal, stateless instances.
    public IWebhookStore Webhooks => _webhooks ??= new SqlWebhookStore(dialect, this);

    public void Migrate() => Run(nameof(Migrate), null, _ => Migrator.Run(dialect));

    public IReadOnlyList<TenantVersion> ListTenants() => Run(nameof(ListTenants), null, span =>
    {
        using var connection = dialect.Open();
        return Counted(span, connection.Query<TenantVersion>("SELECT tenant AS Tenant, version AS Version FROM tenants WHERE version > 0")
            .OrderBy(t => t.Tenant, StringComparer.Ordinal)
            .ToList());
    });

    public StoredTenant? LoadTenant(string tenant) => Run(nameof(LoadTenant), tenant, span =>
    {
        using var connection = dialect.Open();
        using var transaction = dialect.BeginRead(connection);
        var head = connection.QuerySingleOrDefault<TenantRow>(
            "SELECT version AS Version, settings AS Settings, committed_at AS CommittedAt FROM tenants WHERE tenant = @tenant AND version > 0", new { tenant }, transaction);
        if (head is null) return null;

        // Two bulk reads, whatever the size: every alignment, then every goal, read with typed getters (no per-row
        // mapping or boxing: this is the path a million-goal start-up takes).
        var parents = new Dictionary<string, ParentLinks>(StringComparer.Ordinal);
        using (var command = Command(connection, transaction, $"SELECT child_id, position, parent_id, weight, contributes FROM alignments WHERE tenant = @tenant", tenant))
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
        using (var command = Command(connection, transaction, $"SELECT {string.Join(", ", GoalRow.Columns)} FROM goals WHERE tenant = @tenant", tenant))
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
        Run(nameof(Append), changes.Tenant, span =>
        {
            using var connection = dialect.Open();
            using var transaction = connection.BeginTransaction();
            var committedAt = Instants.ToStored(changes.CommittedAt);
            MoveVersion(connection, transaction, changes.Tenant, changes.Version, committedAt, settings: null);
            connection.Execute(
                "INSERT INTO change_log (tenant, version, kind, committed_at, as_of, body) VALUES (@tenant, @version, @kind, @committedAt, @asOf, @body)",
                new { tenant = changes.Tenant, version = changes.Version, kind = LogRow.Changes, committedAt, asOf = (long)changes.AsOf.DayNumber, body = ChangeJson.Write(changes.Changes) },
                transaction);
            foreach (var goal in changes.Goals)
            {
                connection.Execute(dialect.UpsertGoal, GoalRow.From(changes.Tenant, goal), transaction);
                connection.Execute("DELETE FROM alignments WHERE tenant = @tenant AND child_id = @id", new { tenant = changes.Tenant, id = goal.Id }, transaction);
                if (goal.Parents.Count > 0)
                {
                    connection.Execute(
                        "INSERT INTO alignments (tenant, child_id, position, parent_id, weight, contributes) VALUES (@tenant, @ChildId, @Position, @ParentId, @Weight, @Contributes)",
                        AlignmentRows(goal).Select(r => new { tenant = changes.Tenant, r.ChildId, r.Position, r.ParentId, r.Weight, r.Contributes }),
                        transaction);
                }
            }

            foreach (var id in changes.Removed)
            {
                connection.Execute("DELETE FROM goals WHERE tenant = @tenant AND goal_id = @id", new { tenant = changes.Tenant, id }, transaction);
                connection.Execute("DELETE FROM alignments WHERE tenant = @tenant AND child_id = @id", new { tenant = changes.Tenant, id }, transaction);
            }

            var checkIns = changes.Changes.OfType<CheckIn>().Select((c, k) => new
            {
                tenant = changes.Tenant,
                version = changes.Version,
                ordinal = (long)k,
                goal = c.Id,
                value = c.Value,
                at = c.At is { } at ? Instants.ToStored(at) : (long?)null,
                confidence = c.Confidence,
                committedAt,
            }).ToList();
            if (checkIns.Count > 0)
            {
                connection.Execute(
                    "INSERT INTO check_ins (tenant, version, ordinal, goal_id, value, at, confidence, committed_at) VALUES (@tenant, @version, @ordinal, @goal, @value, @at, @confidence, @committedAt)",
                    checkIns, transaction);
            }

            SqlWebhookStore.Insert(connection, transaction, changes.Tenant, changes.Version, committedAt, changes.Outbox);
            transaction.Commit();
            span?.SetTag(StoreTelemetry.RowsAttribute, 1 + changes.Goals.Count + changes.Removed.Count + checkIns.Count);
        });
    }

    public void Replace(TreeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var body = SnapshotCodec.Write(snapshot.Tree);
        Run(nameof(Replace), snapshot.Tenant, span =>
        {
            using var connection = dialect.Open();
            using var transaction = connection.BeginTransaction();
            var committedAt = Instants.ToStored(snapshot.CommittedAt);
            var tenant = snapshot.Tenant;
            MoveVersion(connection, transaction, tenant, snapshot.Version, committedAt, SettingsJson.Write(snapshot.Tree));
            connection.Execute("DELETE FROM goals WHERE tenant = @tenant", new { tenant }, transaction);
            connection.Execute("DELETE FROM alignments WHERE tenant = @tenant", new { tenant }, transaction);
            dialect.BulkInsert(connection, transaction, "goals", tenant, GoalRow.Columns, snapshot.Tree.Goals.Select(g => GoalRow.From(tenant, g).Values()));
            dialect.BulkInsert(connection, transaction, "alignments", tenant, AlignmentRow.Columns, snapshot.Tree.Goals.SelectMany(AlignmentRows).Select(r => r.Values()));
            connection.Execute(
                "INSERT INTO change_log (tenant, version, kind, committed_at, as_of, body) VALUES (@tenant, @version, @kind, @committedAt, @asOf, NULL)",
                new { tenant, version = snapshot.Version, kind = LogRow.Snapshot, committedAt, asOf = (long)snapshot.AsOf.DayNumber },
                transaction);
            connection.Execute("INSERT INTO snapshots (tenant, version, body) VALUES (@tenant, @version, @body)", new { tenant, version = snapshot.Version, body }, transaction);
            SqlWebhookStore.Insert(connection, transaction, tenant, snapshot.Version, committedAt, snapshot.Outbox);
            transaction.Commit();
            span?.SetTag(StoreTelemetry.RowsAttribute, snapshot.Tree.Goals.Count);
        });
    }

    public IReadOnlyList<LogEntry> ReadLog(string tenant, long afterVersion) => Run(nameof(ReadLog), tenant, span =>
    {
        using var connection = dialect.Open();
        return Counted(span, connection.Query<LogRow>($"SELECT {LogRow.Select} FROM change_log WHERE tenant = @tenant AND version > @afterVersion ORDER BY version", new { tenant, afterVersion })
            .Select(r => r.ToEntry(null))
            .ToList());
    });

    public IReadOnlyList<LogEntry> ReadHistory(string tenant, DateTimeOffset from, DateTimeOffset until) => Run(nameof(ReadHistory), tenant, span =>
    {
        using var connection = dialect.Open();
        using var transaction = dialect.BeginRead(connection);
        var start = connection.ExecuteScalar<long?>(
            "SELECT MAX(version) FROM change_log WHERE tenant = @tenant AND kind = @kind AND committed_at < @from",
            new { tenant, kind = LogRow.Snapshot, from = Instants.ToStored(from) }, transaction) ?? 1;
        var rows = connection.Query<LogRow>(
            $"SELECT {LogRow.Select} FROM change_log WHERE tenant = @tenant AND version >= @start AND committed_at < @until ORDER BY version",
            new { tenant, start, until = Instants.ToStored(until) }, transaction).ToList();
        var entries = new List<LogEntry>(rows.Count);
        foreach (var row in rows)
        {
            GoalTree? tree = null;
            if (row.Kind == LogRow.Snapshot)
            {
                var body = connection.QuerySingle<byte[]>("SELECT body FROM snapshots WHERE tenant = @tenant AND version = @version", new { tenant, version = row.Version }, transaction);
                tree = SnapshotCodec.Read(body);
            }

            entries.Add(row.ToEntry(tree));
        }

        return Counted(span, entries);
    });

    public IReadOnlyList<StoredCheckIn> ReadCheckIns(string tenant, string goalId) => Run(nameof(ReadCheckIns), tenant, span =>
    {
        using var connection = dialect.Open();
        return Counted(span, connection.Query<CheckInRow>(
                "SELECT version AS Version, goal_id AS GoalId, value AS Value, at AS At, confidence AS Confidence, committed_at AS CommittedAt FROM check_ins WHERE tenant = @tenant AND goal_id = @goalId ORDER BY version, ordinal",
                new { tenant, goalId })
            .Select(r => new StoredCheckIn(r.Version, r.GoalId, r.Value, r.At is { } at ? Instants.FromStored(at) : null, r.Confidence, Instants.FromStored(r.CommittedAt)))
            .ToList());
    });

    public void AddApiKey(StoredApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Run(nameof(AddApiKey), key.Tenant, _ =>
        {
            using var connection = dialect.Open();
            connection.Execute(
                "INSERT INTO api_keys (id, tenant, scopes, hash, created_at, revoked_at) VALUES (@id, @tenant, @scopes, @hash, @createdAt, @revokedAt)",
                new
                {
                    id = key.Id,
                    tenant = key.Tenant,
                    scopes = string.Join(',', key.Scopes),
                    hash = key.Hash,
                    createdAt = Instants.ToStored(key.CreatedAt),
                    revokedAt = key.RevokedAt is { } at ? Instants.ToStored(at) : (long?)null,
                });
        });
    }

    public IReadOnlyList<StoredApiKey> ListApiKeys() => Run(nameof(ListApiKeys), null, span =>
    {
        using var connection = dialect.Open();
        return Counted(span, connection.Query<ApiKeyRow>("SELECT id AS Id, tenant AS Tenant, scopes AS Scopes, hash AS Hash, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys")
            .Select(r => new StoredApiKey(
                r.Id,
                r.Tenant,
                r.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries),
                r.Hash,
                Instants.FromStored(r.CreatedAt),
                r.RevokedAt is { } at ? Instants.FromStored(at) : null))
            .OrderBy(k => k.Tenant, StringComparer.Ordinal)
            .ThenBy(k => k.CreatedAt)
            .ThenBy(k => k.Id, StringComparer.Ordinal)
            .ToList());
    });

    public bool RevokeApiKey(string id, DateTimeOffset at) => Run(nameof(RevokeApiKey), null, _ =>
    {
        using var connection = dialect.Open();
        return connection.Execute("UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at = Instants.ToStored(at) }) == 1;
    });

    public bool CanWrite()
    {
        try
        {
            using var connection = dialect.Open();
            dialect.ProbeWrite(connection);
            return true;
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            return false;
        }
    }

    private sealed class TenantRow
    {
        public long Version { get; set; }
        public string Settings { get; set; } = string.Empty;
        public long CommittedAt { get; set; }
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

    private sealed class ApiKeyRow
    {
        public string Id { get; set; } = string.Empty;
        public string Tenant { get; set; } = string.Empty;
        public string Scopes { get; set; } = string.Empty;
        public byte[] Hash { get; set; } = [];
        public long CreatedAt { get; set; }
        public long? RevokedAt { get; set; }
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
        if (version == 1)
        {
            connection.Execute(dialect.InsertTenantIfAbsent, new { tenant, settings = settings ?? EmptySettings, committedAt }, transaction);
        }

        var moved = connection.Execute(
            "UPDATE tenants SET version = @version, committed_at = @committedAt, settings = COALESCE(@settings, settings) WHERE tenant = @tenant AND version = @previous",
            new { tenant, version, previous = version - 1, committedAt, settings }, transaction);
        if (moved != 1) throw new StoreConflictException($"tenant '{tenant}' is no longer at version {version - 1}: another writer committed first");
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, string tenant)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "tenant";
        parameter.Value = tenant;
        command.Parameters.Add(parameter);
        return command;
    }

    private static IEnumerable<AlignmentRow> AlignmentRows(GoalDefinition goal) =>
        goal.Parents.Select((link, k) => new AlignmentRow
        {
            ChildId = goal.Id,
            Position = k,
            ParentId = link.ParentId,
            Weight = link.Weight,
            Contributes = link.Contributes ? 1 : 0,
        });

    /// <summary>
    /// Runs one transaction as <paramref name="operation"/> inside its span, and turns the driver's failures into the
    /// store's: a conflict or an unavailable database, and the span's status says which.
    /// </summary>
    internal T Run<T>(string operation, string? tenant, Func<Activity?, T> action)
    {
        using var span = StoreTelemetry.Start(dialect.DbSystem, operation, tenant);
        try
        {
            return action(span);
        }
        catch (Exception e) when (dialect.IsConflict(e))
        {
            var conflict = new StoreConflictException("another writer committed the same version first", e);
            StoreTelemetry.Failed(span, conflict);
            throw conflict;
        }
        catch (Exception e) when (dialect.IsUnavailable(e))
        {
            var unavailable = new StoreUnavailableException($"{dialect.Name} is unavailable: {e.Message}", e);
            StoreTelemetry.Failed(span, unavailable);
            throw unavailable;
        }
        catch (Exception e)
        {
            StoreTelemetry.Failed(span, e);
            throw;
        }
    }

    private void Run(string operation, string? tenant, Action<Activity?> action) => Run(operation, tenant, span =>
    {
        action(span);
        return true;
    });

    private static List<T> Counted<T>(Activity? span, List<T> rows)
    {
        span?.SetTag(StoreTelemetry.RowsAttribute, rows.Count);
        return rows;
    }
}
