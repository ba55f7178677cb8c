using AlignmentEngine.Storage.Internal;

namespace AlignmentEngine.Storage;

/// <summary>
/// Opens a store from its location: <c>sqlite:PATH</c> (the default kind), <c>postgres:CONNECTION-STRING</c> or
/// <c>sqlserver:CONNECTION-STRING</c>.
/// </summary>
public static class AlignmentStores
{
    /// <summary>The store <c>okr serve</c> uses when given none: a SQLite file in the working directory.</summary>
    public const string DefaultLocation = "sqlite:alignment.db";

    /// <summary>
    /// The store at <paramref name="location"/>, not yet migrated. <paramref name="timeout"/> bounds how long a call
    /// waits for the database (to connect, or for another writer's lock) before it is unavailable.
    /// </summary>
    public static IAlignmentStore Open(string location, TimeSpan? timeout = null) => new SqlStore(Dialect(location, timeout ?? TimeSpan.FromSeconds(5)));

    internal static SqlDialect Dialect(string location, TimeSpan wait)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? string.Empty : location[..colon];
        var rest = colon < 0 ? location : location[(colon + 1)..];
        return kind switch
        {
            "sqlite" when rest.Length > 0 => new SqliteDialect(Path.GetFullPath(rest), wait),
            "postgres" or "postgresql" when rest.Length > 0 => new PostgresDialect(rest, wait),
            "sqlserver" or "mssql" when rest.Length > 0 => new SqlServerDialect(rest, wait),
            _ => throw new ArgumentException(
                $"'{location}' is not a store: use sqlite:PATH, postgres:CONNECTION-STRING (e.g. postgres:Host=127.0.0.1;Port=5432;Database=okr;Username=okr;Password=...) " +
                "or sqlserver:CONNECTION-STRING (e.g. sqlserver:Server=127.0.0.1,1433;Database=okr;User ID=okr;Password=...;TrustServerCertificate=True)",
                nameof(location)),
        };
    }
}
