using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.SqlClient;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// SQL Server through Microsoft.Data.SqlClient: pooled connections, upserts as <c>UPDATE</c> then <c>INSERT</c> under
/// an update lock held to the end of the transaction, SqlBulkCopy for bulk inserts, <c>sp_getapplock</c> around
/// migrations, T-SQL migrations of its own (<c>Migrations/SqlServer/</c>). The database must have
/// READ_COMMITTED_SNAPSHOT on (readers and the replicas' log polls never wait behind a writer) and
/// ALLOW_SNAPSHOT_ISOLATION on (a tenant's load reads one consistent state across its queries); migrating checks
/// both and refuses a database without them.
/// </summary>
internal sealed class SqlServerDialect : SqlDialect
{
    // A unique key violated: 2627 (a PRIMARY KEY or UNIQUE constraint), 2601 (a unique index).
    private static readonly HashSet<int> ConflictNumbers = [2627, 2601];

    // The server cannot be reached or cannot take the write now: -2 client timeout; -1, 2, 26, 40, 53 server not
    // found or not reachable; 35 the client's network layer failed (its inner exception says how); 64, 121, 233, 258,
    // 10053, 10054, 10060, 10061 connection refused, broken or timed out; 4060 database not open; 1205 chosen as
    // deadlock victim; 1222 lock wait timed out; 6005 server shutting down; 40197, 40501, 40613, 49918, 49919, 49920
    // Azure SQL's transient errors (reconfiguration, throttling, database moving).
    private static readonly HashSet<int> UnavailableNumbers =
        [-2, -1, 2, 26, 35, 40, 53, 64, 121, 233, 258, 1205, 1222, 4060, 6005, 10053, 10054, 10060, 10061, 40197, 40501, 40613, 49918, 49919, 49920];

    // Rows handed to SqlBulkCopy per batch: bounds the memory of the staging table, whatever the tree's size.
    private const int BulkBatchRows = 10_000;

    private readonly string _connectionString;
    private readonly int _commandTimeoutSeconds;

    public SqlServerDialect(string connectionString, TimeSpan timeout)
    {
        _commandTimeoutSeconds = Math.Max(5, (int)Math.Ceiling(timeout.TotalSeconds * 6));
        _connectionString = new SqlConnectionStringBuilder(connectionString)
        {
            ConnectTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
            CommandTimeout = _commandTimeoutSeconds,
        }.ToString();

        // Another process's migration is waited for until a second before the statement would time out; past that,
        // this one fails (THROW, which names the reason) instead of migrating without the lock.
        MigrationLock = new(
            "DECLARE @granted INT; " +
            "EXEC @granted = sp_getapplock @Resource = N'okr_schema_migration', @LockMode = N'Exclusive', @LockOwner = N'Transaction', " +
            $"@LockTimeout = {((_commandTimeoutSeconds - 1) * 1000).ToString(CultureInfo.InvariantCulture)}; " +
            "IF @granted < 0 THROW 50000, N'the schema migration lock was not granted: another process is migrating this database', 1;");
    }

    public override string DbSystem => "mssql";

    public override string Name
    {
        get
        {
            var builder = new SqlConnectionStringBuilder(_connectionString);
            return $"sqlserver:Server={builder.DataSource};Database={builder.InitialCatalog};User ID={builder.UserID}";
        }
    }

    public override string MigrationsFolder => "Migrations/SqlServer/";

    protected override string BinaryType => "VARBINARY(MAX)";

    protected override DbConnection CreateConnection() => new SqlConnection(_connectionString);

    // Snapshot isolation: the state as of the transaction's first read, across all its queries, without locks.
    public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.BeginTransactionAsync(IsolationLevel.Snapshot, cancellationToken);

    /// <summary>The two database options the store needs (bit, and 1 for ON).</summary>
    public Statement<NoArguments> DatabaseOptions { get; } = new(
        "SELECT is_read_committed_snapshot_on AS ReadCommittedSnapshot, snapshot_isolation_state AS SnapshotIsolation FROM sys.databases WHERE database_id = DB_ID()");

    public override async Task CheckDatabaseAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var options = (await DatabaseOptions.QueryAsync<DatabaseOptionsRow>(connection, NoArguments.Value, null, cancellationToken).ConfigureAwait(false)).Single();
        if (!options.ReadCommittedSnapshot || options.SnapshotIsolation != 1)
        {
            throw new StoreSchemaException(
                $"{Name} needs READ_COMMITTED_SNAPSHOT and ALLOW_SNAPSHOT_ISOLATION on (READ_COMMITTED_SNAPSHOT is {(options.ReadCommittedSnapshot ? "on" : "off")}, " +
                $"ALLOW_SNAPSHOT_ISOLATION is {(options.SnapshotIsolation == 1 ? "on" : "off")}): run ALTER DATABASE [name] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE; " +
                "ALTER DATABASE [name] SET ALLOW_SNAPSHOT_ISOLATION ON;");
        }
    }

    public override Statement<NoArguments> MigrationLock { get; }

    public override Statement<NoArguments> CreateSchemaVersion { get; } = new(
        "IF OBJECT_ID(N'schema_version', N'U') IS NULL CREATE TABLE schema_version (version BIGINT NOT NULL PRIMARY KEY, name NVARCHAR(200) NOT NULL)");

    // UPDLOCK with HOLDLOCK holds a key-range lock on the absent row to the end of the transaction: of two
    // transactions creating the same tenant, the second waits, then finds the row.
    public override Statement<NewTenant> InsertTenantIfAbsent { get; } = new(
        "INSERT INTO tenants (tenant, version, settings, committed_at) SELECT @Tenant, 0, @Settings, @CommittedAt " +
        "WHERE NOT EXISTS (SELECT 1 FROM tenants WITH (UPDLOCK, HOLDLOCK) WHERE tenant = @Tenant)");

    // UPDATE, and INSERT when it found no row: SERIALIZABLE keeps the range locked between the two, so no other
    // transaction inserts the same goal in between (MERGE would need the same hints and has more pitfalls).
    public override Statement<GoalRow> UpsertGoal { get; } = new(
        $"UPDATE goals WITH (UPDLOCK, SERIALIZABLE) SET {string.Join(", ", GoalRow.Columns.Skip(1).Select(c => $"{c} = {Parameter(c)}"))} " +
        "WHERE tenant = @Tenant AND goal_id = @GoalId; " +
        $"IF @@ROWCOUNT = 0 INSERT INTO goals (tenant, {string.Join(", ", GoalRow.Columns)}) VALUES (@Tenant, {string.Join(", ", GoalRow.Columns.Select(Parameter))});");

    public override Statement<OutboxOfStatus> OldestOutboxEvent { get; } =
        new($"SELECT TOP 1 {OutboxColumns} FROM webhook_outbox WHERE webhook_id = @WebhookId AND status = @Status ORDER BY version");

    public override async Task BulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, string tenant, string[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        // SqlBulkCopy: the bulk load protocol, many rows per round trip, inside the open transaction.
        using var bulk = new SqlBulkCopy((SqlConnection)connection, SqlBulkCopyOptions.KeepNulls, (SqlTransaction)transaction)
        {
            DestinationTableName = table,
            BulkCopyTimeout = _commandTimeoutSeconds,
        };
        using var batch = new DataTable(table) { Locale = CultureInfo.InvariantCulture };
        foreach (var column in columns.Prepend("tenant"))
        {
            batch.Columns.Add(column, typeof(object));
            bulk.ColumnMappings.Add(column, column);
        }

        foreach (var row in rows)
        {
            var values = new object[row.Length + 1];
            values[0] = tenant;
            for (var k = 0; k < row.Length; k++) values[k + 1] = row[k] ?? DBNull.Value;
            batch.Rows.Add(values);
            if (batch.Rows.Count == BulkBatchRows) await FlushAsync().ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);

        async Task FlushAsync()
        {
            if (batch.Rows.Count == 0) return;
            await bulk.WriteToServerAsync(batch, cancellationToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    public override bool IsConflict(Exception exception) => exception is SqlException e && ConflictNumbers.Contains(e.Number);

    // Severity 20 and above: the connection itself failed (the server ends it), whatever the number; a socket or
    // stream failure underneath is the network's, whatever the number.
    public override bool IsUnavailable(Exception exception) =>
        exception switch
        {
            SqlException e => UnavailableNumbers.Contains(e.Number) || e.Class >= 20 || e.InnerException is SocketException or IOException or TimeoutException,
            SocketException or IOException or TimeoutException => true,
            _ => false,
        };

    private sealed class DatabaseOptionsRow
    {
        public bool ReadCommittedSnapshot { get; set; }
        public byte SnapshotIsolation { get; set; }
    }
}
