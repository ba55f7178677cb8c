using AlignmentEngine.Storage.Internal;
using Npgsql;

namespace AlignmentEngine.Storage;

/// <summary>
/// The tables, functions and stored queries in which an Orleans cluster of <c>okr serve</c> silos keeps its
/// membership on PostgreSQL (through Microsoft.Orleans.Clustering.AdoNet, which ships none): our own migration series,
/// recorded in <c>cluster_schema_version</c>, apart from the store's, so the two number their scripts independently.
/// </summary>
public static class ClusterMembershipSchema
{
    /// <summary>
    /// The Npgsql connection string of a membership location, <c>postgres:CONNECTION-STRING</c> (the store's spelling);
    /// throws <see cref="ArgumentException"/> saying what is wrong with any other.
    /// </summary>
    public static string ConnectionStringOf(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? string.Empty : location[..colon];
        var rest = colon < 0 ? string.Empty : location[(colon + 1)..];
        if (kind is not ("postgres" or "postgresql") || rest.Length == 0)
        {
            throw new ArgumentException(
                $"'{location}' is not a cluster membership database: use postgres:CONNECTION-STRING, e.g. postgres:Host=127.0.0.1;Port=5432;Database=okr;Username=okr;Password=...",
                nameof(location));
        }

        try
        {
            return new NpgsqlConnectionStringBuilder(rest).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{location}' is not a PostgreSQL connection string: {e.Message}", nameof(location), e);
        }
    }

    /// <summary>The database a connection string names, without its password: for start lines and logs.</summary>
    public static string Describe(string connectionString) => new PostgresDialect(connectionString, TimeSpan.FromSeconds(5)).Name;

    /// <summary>
    /// Applies what is missing to the PostgreSQL database at <paramref name="connectionString"/> (one transaction,
    /// under the same advisory lock as the store's migrations, so silos starting together take turns); returns the
    /// versions applied, none when it is up to date. Throws <see cref="StoreUnavailableException"/> when the database
    /// cannot be reached, <see cref="StoreSchemaException"/> when its membership schema is newer than this build's.
    /// </summary>
    public static Task<IReadOnlyList<int>> MigrateAsync(string connectionString, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var dialect = new PostgresDialect(connectionString, timeout ?? TimeSpan.FromSeconds(5));
        return new StoreCalls(dialect).RunAsync(
            "MigrateClusterMembership", null, _ => Migrator.RunAsync(dialect, dialect.ClusterMembershipMigrations, cancellationToken), cancellationToken);
    }

    /// <summary>The newest membership schema version this build knows.</summary>
    public static int Latest => Migrator.Scripts(PostgresDialect.ClusterMembershipFolder)[^1].Version;
}
