using System.Data;
using System.Data.Common;
using System.Reflection;
using System.Text;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// The store's SQL, standard where it can be, and the hooks for what differs between databases: how to connect,
/// the binary type, the upsert and insert-if-absent statements, bulk inserts, the migration lock, the write
/// probe, and which errors mean "conflict" or "unavailable". Each database's dialect overrides only what differs
/// from here; no dialect uses another's members. Every statement is a property of type <see cref="Statement{T}"/>,
/// so <see cref="Statements"/> can list them (the T-SQL test parses each).
/// </summary>
internal abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>The database, as OpenTelemetry's <c>db.system</c> names it.</summary>
    public abstract string DbSystem { get; }

    /// <summary>The embedded migration scripts' folder (<c>Migrations/</c> holds the standard ones).</summary>
    public virtual string MigrationsFolder => "Migrations/";

    /// <summary>The type that <c>{blob}</c> in a migration script stands for.</summary>
    protected virtual string BinaryType => "BLOB";

    /// <summary>An open connection, set up for durable commits.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await OnOpenedAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A new, closed connection to the database.</summary>
    protected abstract DbConnection CreateConnection();

    /// <summary>Run on every connection just opened, before it is handed out (session settings).</summary>
    protected virtual Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A read-only transaction that sees one consistent state across all its queries.</summary>
    public virtual ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>A migration script with the dialect's types put in (<c>{blob}</c>).</summary>
    public string Schema(string script) => script.Replace("{blob}", BinaryType, StringComparison.Ordinal);

    /// <summary>Throws <see cref="StoreSchemaException"/> when the database is not set up the way the store needs (run before migrating).</summary>
    public virtual Task CheckDatabaseAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Run first in a migration's transaction, so that two processes migrating at once take turns; null when the transaction alone does that.</summary>
    public virtual Statement<NoArguments>? MigrationLock => null;

    public virtual Statement<NoArguments> CreateSchemaVersion { get; } =
        new("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL)");

    public Statement<NoArguments> SchemaVersion { get; } = new("SELECT MAX(version) FROM schema_version");

    public Statement<MigrationRecord> RecordMigration { get; } = new("INSERT INTO schema_version (version, name) VALUES (@Version, @Name)");

    /// <summary>The store's own schema: the scripts of <see cref="MigrationsFolder"/>, recorded in <c>schema_version</c>.</summary>
    public MigrationTrack StoreMigrations => new("store", MigrationsFolder, CreateSchemaVersion, SchemaVersion, RecordMigration);

    public Statement<NoArguments> ListTenants { get; } = new("SELECT tenant AS Tenant, version AS Version FROM tenants WHERE version > 0");

    public Statement<TenantKey> TenantHead { get; } =
        new("SELECT version AS Version, settings AS Settings, committed_at AS CommittedAt FROM tenants WHERE tenant = @Tenant AND version > 0");

    /// <summary>A tenant's alignments, read by position: child_id, position, parent_id, weight, contributes.</summary>
    public Statement<TenantKey> TenantAlignments { get; } =
        new($"SELECT {string.Join(", ", AlignmentRow.Columns)} FROM alignments WHERE tenant = @Tenant");

    /// <summary>A tenant's goals, read by position in <see cref="GoalRow.Columns"/> order.</summary>
    public Statement<TenantKey> TenantGoals { get; } = new($"SELECT {string.Join(", ", GoalRow.Columns)} FROM goals WHERE tenant = @Tenant");

    /// <summary>Creates the tenant row at version 0 unless it exists.</summary>
    public virtual Statement<NewTenant> InsertTenantIfAbsent { get; } =
        new("INSERT INTO tenants (tenant, version, settings, committed_at) VALUES (@Tenant, 0, @Settings, @CommittedAt) ON CONFLICT (tenant) DO NOTHING");

    /// <summary>
    /// The conditional update that is the version check: it changes one row, or none when another writer got there
    /// first. The tenant's goal count moves with its version.
    /// </summary>
    public Statement<VersionMove> MoveVersion { get; } = new(
        "UPDATE tenants SET version = @Version, committed_at = @CommittedAt, settings = COALESCE(@Settings, settings), goal_count = @GoalCount " +
        "WHERE tenant = @Tenant AND version = @Previous");

    /// <summary>A tenant's goal count as its last commit left it: one row, whatever the tenant's size.</summary>
    public Statement<TenantKey> TenantGoalCount { get; } = new("SELECT goal_count FROM tenants WHERE tenant = @Tenant AND version > 0");

    public Statement<LogInsert> InsertLogEntry { get; } = new(
        "INSERT INTO change_log (tenant, version, kind, committed_at, as_of, body, request_id, request_hash, response) " +
        "VALUES (@Tenant, @Version, @Kind, @CommittedAt, @AsOf, @Body, @RequestId, @RequestHash, @Response)");

    /// <summary>The write a tenant committed with a request_id (through the unique index on tenant and request_id).</summary>
    public Statement<RequestLookup> FindRequest { get; } = new(
        "SELECT version AS Version, request_id AS RequestId, request_hash AS RequestHash, response AS Response FROM change_log WHERE tenant = @Tenant AND request_id = @RequestId");

    /// <summary>Inserts or replaces one goal row.</summary>
    public virtual Statement<GoalRow> UpsertGoal { get; } = new(
        $"INSERT INTO goals (tenant, {string.Join(", ", GoalRow.Columns)}) VALUES (@Tenant, {string.Join(", ", GoalRow.Columns.Select(Parameter))}) " +
        $"ON CONFLICT (tenant, goal_id) DO UPDATE SET {string.Join(", ", GoalRow.Columns.Skip(1).Select(c => $"{c} = excluded.{c}"))}");

    public Statement<GoalKey> DeleteGoal { get; } = new("DELETE FROM goals WHERE tenant = @Tenant AND goal_id = @GoalId");

    public Statement<GoalKey> DeleteAlignmentsOf { get; } = new("DELETE FROM alignments WHERE tenant = @Tenant AND child_id = @GoalId");

    public Statement<AlignmentRow> InsertAlignment { get; } = new(
        $"INSERT INTO alignments (tenant, {string.Join(", ", AlignmentRow.Columns)}) VALUES (@Tenant, {string.Join(", ", AlignmentRow.Columns.Select(Parameter))})");

    public Statement<CheckInInsert> InsertCheckIn { get; } = new(
        "INSERT INTO check_ins (tenant, version, ordinal, goal_id, value, at, confidence, committed_at) VALUES (@Tenant, @Version, @Ordinal, @GoalId, @Value, @At, @Confidence, @CommittedAt)");

    public Statement<TenantKey> DeleteTenantGoals { get; } = new("DELETE FROM goals WHERE tenant = @Tenant");

    public Statement<TenantKey> DeleteTenantAlignments { get; } = new("DELETE FROM alignments WHERE tenant = @Tenant");

    public Statement<SnapshotInsert> InsertSnapshot { get; } = new("INSERT INTO snapshots (tenant, version, body) VALUES (@Tenant, @Version, @Body)");

    public Statement<LogAfter> ReadLog { get; } =
        new($"SELECT {LogRow.Select} FROM change_log WHERE tenant = @Tenant AND version > @AfterVersion ORDER BY version");

    public Statement<SnapshotBefore> LastSnapshotBefore { get; } =
        new("SELECT MAX(version) FROM change_log WHERE tenant = @Tenant AND kind = @Kind AND committed_at < @From");

    public Statement<LogRange> ReadLogRange { get; } =
        new($"SELECT {LogRow.Select} FROM change_log WHERE tenant = @Tenant AND version >= @Start AND committed_at < @Until ORDER BY version");

    public Statement<SnapshotThrough> LastSnapshotThrough { get; } =
        new("SELECT MAX(version) FROM change_log WHERE tenant = @Tenant AND kind = @Kind AND version <= @Version");

    public Statement<VersionRange> ReadLogVersions { get; } =
        new($"SELECT {LogRow.Select} FROM change_log WHERE tenant = @Tenant AND version >= @Start AND version <= @Until ORDER BY version");

    public Statement<VersionKey> SnapshotBody { get; } = new("SELECT body FROM snapshots WHERE tenant = @Tenant AND version = @Version");

    public Statement<GoalKey> GoalCheckIns { get; } = new(
        "SELECT version AS Version, goal_id AS GoalId, value AS Value, at AS At, confidence AS Confidence, committed_at AS CommittedAt " +
        "FROM check_ins WHERE tenant = @Tenant AND goal_id = @GoalId ORDER BY version, ordinal");

    public Statement<ApiKeyRow> InsertApiKey { get; } =
        new("INSERT INTO api_keys (id, tenant, scopes, hash, created_at, revoked_at) VALUES (@Id, @Tenant, @Scopes, @Hash, @CreatedAt, @RevokedAt)");

    public Statement<NoArguments> ListApiKeys { get; } =
        new("SELECT id AS Id, tenant AS Tenant, scopes AS Scopes, hash AS Hash, created_at AS CreatedAt, revoked_at AS RevokedAt FROM api_keys");

    public Statement<KeyRevocation> RevokeApiKey { get; } = new("UPDATE api_keys SET revoked_at = @At WHERE id = @Id AND revoked_at IS NULL");

    /// <summary>An outbox row's columns as the delivery row names them.</summary>
    protected const string OutboxColumns =
        "webhook_id AS WebhookId, version AS Version, committed_at AS CommittedAt, payload AS Payload, status AS Status, attempts AS Attempts, " +
        "first_failed_at AS FirstFailedAt, last_error AS LastError";

    public Statement<WebhookInsert> InsertWebhook { get; } = new(
        "INSERT INTO webhooks (id, tenant, url, subtree, kinds, codes, secret, previous_secret, previous_expires_at, created_at, disabled_at) " +
        "VALUES (@Id, @Tenant, @Url, @Subtree, @Kinds, @Codes, @Secret, NULL, NULL, @CreatedAt, NULL)");

    public Statement<TenantKey> TenantWebhooks { get; } = new(
        "SELECT id AS Id, tenant AS Tenant, url AS Url, subtree AS Subtree, kinds AS Kinds, codes AS Codes, secret AS Secret, previous_secret AS PreviousSecret, " +
        "previous_expires_at AS PreviousExpiresAt, created_at AS CreatedAt, disabled_at AS DisabledAt FROM webhooks WHERE tenant = @Tenant");

    public Statement<NoArguments> SubscribedTenants { get; } = new("SELECT DISTINCT tenant FROM webhooks");

    public Statement<WebhookKey> DeleteWebhook { get; } = new("DELETE FROM webhooks WHERE tenant = @Tenant AND id = @Id");

    public Statement<WebhookRotation> RotateWebhookSecret { get; } = new(
        "UPDATE webhooks SET previous_secret = secret, previous_expires_at = @PreviousExpiresAt, secret = @Secret WHERE tenant = @Tenant AND id = @Id");

    public Statement<WebhookDisabling> DisableWebhook { get; } = new("UPDATE webhooks SET disabled_at = @At WHERE id = @WebhookId");

    public Statement<WebhookKey> EnableWebhook { get; } = new("UPDATE webhooks SET disabled_at = NULL WHERE tenant = @Tenant AND id = @Id");

    public Statement<OutboxInsert> InsertOutboxEvent { get; } = new(
        "INSERT INTO webhook_outbox (webhook_id, version, tenant, committed_at, payload, status, attempts) VALUES (@WebhookId, @Version, @Tenant, @CommittedAt, @Payload, @Status, 0)");

    /// <summary>A subscription's outbox rows of one status, oldest first.</summary>
    public Statement<OutboxOfStatus> OutboxEvents { get; } = new($"SELECT {OutboxColumns} FROM webhook_outbox WHERE webhook_id = @WebhookId AND status = @Status ORDER BY version");

    /// <summary>The oldest of a subscription's outbox rows of one status.</summary>
    public virtual Statement<OutboxOfStatus> OldestOutboxEvent { get; } =
        new($"SELECT {OutboxColumns} FROM webhook_outbox WHERE webhook_id = @WebhookId AND status = @Status ORDER BY version LIMIT 1");

    public Statement<OutboxKey> DeleteOutboxEvent { get; } = new("DELETE FROM webhook_outbox WHERE webhook_id = @WebhookId AND version = @Version");

    public Statement<WebhookOutbox> DeleteOutboxOf { get; } = new("DELETE FROM webhook_outbox WHERE webhook_id = @WebhookId");

    public Statement<OutboxFailure> RecordOutboxFailure { get; } = new(
        "UPDATE webhook_outbox SET attempts = attempts + 1, first_failed_at = COALESCE(first_failed_at, @At), last_error = @Error WHERE webhook_id = @WebhookId AND version = @Version");

    /// <summary>Moves a subscription's rows from one status to another (pending to failed, when it is disabled).</summary>
    public Statement<OutboxStatusMove> MoveOutboxStatus { get; } = new("UPDATE webhook_outbox SET status = @To WHERE webhook_id = @WebhookId AND status = @From");

    /// <summary>Makes a subscription's rows of one status pending again, their attempts counted afresh.</summary>
    public Statement<OutboxStatusMove> RequeueOutbox { get; } = new(
        "UPDATE webhook_outbox SET status = @To, attempts = 0, first_failed_at = NULL, last_error = NULL WHERE webhook_id = @WebhookId AND status = @From");

    /// <summary>The cheapest statement that needs the database to answer.</summary>
    public Statement<NoArguments> Ping { get; } = new("SELECT 1");

    /// <summary>Every statement this dialect sends, by property name (not the migration scripts, nor bulk inserts' own protocol).</summary>
    public IEnumerable<(string Name, IStatement Statement)> Statements() =>
        GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => typeof(IStatement).IsAssignableFrom(p.PropertyType))
            .Select(p => (p.Name, p.GetValue(this) as IStatement))
            .Where(s => s.Item2 is not null)
            .Select(s => (s.Name, s.Item2!));

    /// <summary>
    /// Inserts many rows of one table in the open transaction, as fast as the database allows. Here: one prepared
    /// insert executed per row, the fastest path for an in-process database (no round trips to save).
    /// </summary>
    public virtual async Task BulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, string tenant, string[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var values = new StringBuilder("@p0");
        command.Parameters.Add(NewParameter(command, "p0", tenant));
        for (var k = 0; k < columns.Length; k++)
        {
            values.Append(", @p").Append(k + 1);
            command.Parameters.Add(NewParameter(command, $"p{k + 1}", null));
        }

        command.CommandText = $"INSERT INTO {table} (tenant, {string.Join(", ", columns)}) VALUES ({values})";
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            for (var k = 0; k < row.Length; k++) command.Parameters[k + 1].Value = row[k] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Throws when a write could not be committed now (down, locked).</summary>
    public virtual Task ProbeWriteAsync(DbConnection connection, CancellationToken cancellationToken) => Ping.ExecuteAsync(connection, NoArguments.Value, null, cancellationToken);

    /// <summary>A unique key violation: another writer committed the same version.</summary>
    public abstract bool IsConflict(Exception exception);

    /// <summary>The database cannot be reached or written just now (as opposed to a bug in a statement).</summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>goal_id → @GoalId: the parameter named after the row's property.</summary>
    protected static string Parameter(string column) =>
        "@" + string.Concat(column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    private static DbParameter NewParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}
