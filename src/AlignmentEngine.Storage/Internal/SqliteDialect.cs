using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// SQLite: one file in WAL mode with <c>synchronous=FULL</c>, so a commit that returned is on disk (WAL's NORMAL
/// would lose the last commits on power loss). Writers take the lock at BEGIN (IMMEDIATE), and wait up to the
/// timeout for another writer (another process on the same file) before giving up as unavailable. The standard
/// SQL, upserts and prepared-insert bulk path of <see cref="SqlDialect"/> serve as they are. Microsoft.Data.Sqlite's
/// async methods run synchronously (SQLite is an in-process library with no async I/O of its own): the store's async
/// calls on SQLite complete before they return, which is fine for a file on a local disk.
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

    protected override DbConnection CreateConnection() => new SqliteConnection(_connectionString);

    protected override Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", cancellationToken: cancellationToken));

    // Deferred: a WAL reader's snapshot, taken at the first read, that neither waits for nor blocks writers.
    // (Microsoft.Data.Sqlite has no async overload that takes deferred; it would run synchronously anyway.)
    public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default transaction) takes the only write lock, or fails as busy.
    public override async Task ProbeWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool IsConflict(Exception exception) => exception is SqliteException { SqliteErrorCode: SqliteConstraint };

    public override bool IsUnavailable(Exception exception) =>
        exception is SqliteException e && UnavailableCodes.Contains(e.SqliteErrorCode & 0xFF) || exception is IOException or UnauthorizedAccessException;
}
