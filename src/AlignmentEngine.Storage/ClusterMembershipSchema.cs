using AlignmentEngine.Storage.Internal;

namespace AlignmentEngine.Storage;

/// <summary>
/// The tables, functions and stored queries in which an Orleans cluster of <c>okr serve</c> silos keeps its
/// membership on PostgreSQL (through Microsoft.Orleans.Clustering.AdoNet, which ships none): our own migration series,
/// recorded in <c>cluster_schema_version</c>, apart from the store's, so the two number their scripts independently.
/// </summary>
public static class ClusterMembershipSchema
{
    /// <summary>
    /// Applies what is missing to the PostgreSQL database at <paramref name="connectionString"/> (one transaction,
    /// under the same advisory lock as the store's migrations, so silos starting together take turns); returns the
    /// versions applied, none when it is up to date. Throws <see cref="StoreUnavailableException"/> when the database
    /// cannot be reached, <see cref="StoreSchemaException"/> when its membership schema is newer than this build's.
    /// </summary>
    public static IReadOnlyList<int> Migrate(string connectionString, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var dialect = new PostgresDialect(connectionString, timeout ?? TimeSpan.FromSeconds(5));
        return new StoreCalls(dialect).Run("MigrateClusterMembership", null, _ => Migrator.Run(dialect, dialect.ClusterMembershipMigrations));
    }

    /// <summary>The newest membership schema version this build knows.</summary>
    public static int Latest => Migrator.Scripts(PostgresDialect.ClusterMembershipFolder)[^1].Version;
}
