using System.Data.Common;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// SQLite: one file in WAL mode with <c>synchronous=FULL</c>, so a commit that returned is on disk (WAL's NORMAL
/// would lose the last commits on power loss). Writers take the lock at BEGIN (IMMEDIATE), and wait up to the
/// timeout for another writer (another process on the same file) before giving up as unavailable.
/// </summary>
internal sealed class SqliteDialect(string path, TimeSpan timeout) : SqlDialect
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL:
    // primary result codes (the low byte of an extended one).
    private static readonly HashSet<int> UnavailableCodes = [5, 6, 8, 10, 13, 14, 15];
    private const int SqliteConstraint = 19;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
    }.ToString();

    public override string DbSystem => "sqlite";

    public override string Name => $"sqlite:{path}";

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Deferred: a WAL reader's snapshot, taken at the first read, that neither waits for nor blocks writers.
    public override DbTransaction BeginRead(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: true);

    public override string Schema(string script) => script.Replace("{blob}", "BLOB", StringComparison.Ordinal);

    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default transaction) already holds the only write lock.
    public override void LockForMigration(DbConnection connection, DbTransaction transaction)
    {
    }

    public override string InsertTenantIfAbsent =>
        "INSERT INTO tenants (tenant, version, settings, committed_at) VALUES (@tenant, 0, @settings, @committedAt) ON CONFLICT (tenant) DO NOTHING";

    public override string UpsertGoal { get; } = Upsert();

    public override void BulkInsert(DbConnection connection, DbTransaction transaction, string table, string tenant, string[] columns, IEnumerable<object?[]> rows)
    {
        // SQLite runs in-process: one prepared statement executed per row inside one transaction is its fastest
        // path (no round trips to save, and no parsing after the first row).
        using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        var names = new StringBuilder("tenant");
        var values = new StringBuilder("$p0");
        command.Parameters.AddWithValue("$p0", tenant);
        for (var k = 0; k < columns.Length; k++)
        {
            names.Append(", ").Append(columns[k]);
            values.Append(", $p").Append(k + 1);
            command.Parameters.Add(new SqliteParameter($"$p{k + 1}", null));
        }

        command.CommandText = $"INSERT INTO {table} ({names}) VALUES ({values})";
        command.Prepare();
        foreach (var row in rows)
        {
            for (var k = 0; k < row.Length; k++) command.Parameters[k + 1].Value = row[k] ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    public override void ProbeWrite(DbConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        transaction.Rollback();
    }

    public override bool IsConflict(Exception exception) => exception is SqliteException { SqliteErrorCode: SqliteConstraint };

    public override bool IsUnavailable(Exception exception) =>
        exception is SqliteException e && UnavailableCodes.Contains(e.SqliteErrorCode & 0xFF) || exception is IOException or UnauthorizedAccessException;

    private static string Upsert()
    {
        var columns = GoalRow.Columns;
        var parameters = string.Join(", ", GoalRow.Columns.Select(Parameter));
        var updates = string.Join(", ", columns.Skip(1).Select(c => $"{c} = excluded.{c}"));
        return $"INSERT INTO goals (tenant, {string.Join(", ", columns)}) VALUES (@Tenant, {parameters}) ON CONFLICT (tenant, goal_id) DO UPDATE SET {updates}";
    }

    /// <summary>goal_id → @GoalId: the parameter named after the <see cref="GoalRow"/> property.</summary>
    internal static string Parameter(string column) =>
        "@" + string.Concat(column.Split('_').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}
