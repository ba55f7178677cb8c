using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// PostgreSQL through Npgsql: pooled connections, binary COPY for bulk inserts, an advisory lock around
/// migrations. Commits are durable with the server's defaults (synchronous_commit=on, fsync=on). Its upserts are
/// the standard ones of <see cref="SqlDialect"/>.
/// </summary>
internal sealed class PostgresDialect(string connectionString, TimeSpan timeout) : SqlDialect
{
    // Any 64-bit number unique to this application: the advisory lock two migrating processes take turns on.
    private const long MigrationLockKey = 0x4F4B_525F_4D49_4752;

    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Timeout = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)),
        CommandTimeout = Math.Max(5, (int)Math.Ceiling(timeout.TotalSeconds * 6)),
    }.ToString();

    public override string DbSystem => "postgresql";

    public override string Name
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(_connectionString);
            return $"postgres:Host={builder.Host};Port={builder.Port};Database={builder.Database};Username={builder.Username}";
        }
    }

    protected override string BinaryType => "BYTEA";

    protected override DbConnection CreateConnection() => new NpgsqlConnection(_connectionString);

    public override Statement<NoArguments> MigrationLock { get; } =
        new($"SELECT pg_advisory_xact_lock({MigrationLockKey.ToString(CultureInfo.InvariantCulture)})");

    /// <summary>The embedded folder of the cluster membership scripts (PostgreSQL only).</summary>
    public const string ClusterMembershipFolder = "Migrations/ClusterMembership/";

    public Statement<NoArguments> CreateClusterSchemaVersion { get; } =
        new("CREATE TABLE IF NOT EXISTS cluster_schema_version (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL)");

    public Statement<NoArguments> ClusterSchemaVersion { get; } = new("SELECT MAX(version) FROM cluster_schema_version");

    public Statement<MigrationRecord> RecordClusterMigration { get; } = new("INSERT INTO cluster_schema_version (version, name) VALUES (@Version, @Name)");

    /// <summary>
    /// The tables, functions and stored queries of an Orleans cluster's membership (<c>okr serve --cluster</c>), in
    /// their own series recorded in <c>cluster_schema_version</c>: a database can hold them with or without the store.
    /// </summary>
    public MigrationTrack ClusterMembershipMigrations =>
        new("cluster membership", ClusterMembershipFolder, CreateClusterSchemaVersion, ClusterSchemaVersion, RecordClusterMigration);

    public override async Task BulkInsertAsync(
        DbConnection connection, DbTransaction transaction, string table, string tenant, string[] columns, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        // Binary COPY: one streamed statement for any number of rows, instead of a round trip per row. Each write
        // completes at once while the row fits Npgsql's buffer; only a full buffer goes out to the server.
        var npgsql = (NpgsqlConnection)connection;
        var writer = await npgsql.BeginBinaryImportAsync($"COPY {table} (tenant, {string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var row in rows)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(tenant, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                foreach (var value in row)
                {
                    var written = value switch
                    {
                        null => writer.WriteNullAsync(cancellationToken),
                        string s => writer.WriteAsync(s, NpgsqlDbType.Text, cancellationToken),
                        long l => writer.WriteAsync(l, NpgsqlDbType.Bigint, cancellationToken),
                        double d => writer.WriteAsync(d, NpgsqlDbType.Double, cancellationToken),
                        _ => throw new NotSupportedException($"No COPY mapping for {value.GetType().Name}."),
                    };
                    await written.ConfigureAwait(false);
                }
            }

            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public override bool IsConflict(Exception exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    // Everything that is not the server refusing a statement: sockets, timeouts, a server shutting down.
    public override bool IsUnavailable(Exception exception) =>
        exception switch
        {
            PostgresException p => p.IsTransient || p.SqlState.StartsWith("57P", StringComparison.Ordinal) || p.SqlState.StartsWith("08", StringComparison.Ordinal),
            NpgsqlException => true,
            SocketException or IOException or TimeoutException => true,
            _ => false,
        };
}
