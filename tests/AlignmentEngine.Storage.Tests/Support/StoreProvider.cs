using AlignmentEngine.Storage.Internal;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>A database kind the suites run against; every location it hands out is a fresh, empty store.</summary>
public interface IStoreProvider
{
    /// <summary>A new empty store's location (its own SQLite file, PostgreSQL schema or SQL Server database).</summary>
    string NewLocation();
}

/// <summary>SQLite: a new file in a temporary folder per location.</summary>
public sealed class SqliteProvider : IStoreProvider
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "okr-storage-tests", $"{Environment.ProcessId}");

    /// <summary>Deletes every file this test run made.</summary>
    public static void RemoveAll()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    public string NewLocation()
    {
        var dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return $"sqlite:{Path.Combine(dir, "alignment.db")}";
    }
}

/// <summary>PostgreSQL: a new schema per location on the test server (skipped when there is none).</summary>
public sealed class PostgresProvider : IStoreProvider
{
    public string NewLocation() => TestPostgres.NewSchemaLocation();
}

/// <summary>SQL Server: a new database per location on the test server (skipped when there is none).</summary>
public sealed class SqlServerProvider : IStoreProvider
{
    public string NewLocation() => TestSqlServer.NewDatabaseLocation();
}

/// <summary>Raw access to a location's database, for what the store's interface does not do (on purpose).</summary>
internal static class RawDatabase
{
    public static async Task ExecuteAsync(string location, string sql)
    {
        await using var connection = await AlignmentStores.Dialect(location, TimeSpan.FromSeconds(5)).OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> CountAsync(string location, string sql)
    {
        await using var connection = await AlignmentStores.Dialect(location, TimeSpan.FromSeconds(5)).OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static SqlDialect Dialect(string location) => AlignmentStores.Dialect(location, TimeSpan.FromSeconds(5));
}
