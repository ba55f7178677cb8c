using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>
/// The SQL Server the tests use: OKR_TEST_SQLSERVER (a connection string of a login that may create databases)
/// when set, else a throwaway container (Testcontainers) when a Docker engine answers. Without either, SQL Server
/// tests are skipped with <see cref="SkipReason"/>. Each location is a database of its own, created with the
/// options the store requires and dropped at the end of the run.
/// </summary>
internal static class TestSqlServer
{
    public const string Variable = "OKR_TEST_SQLSERVER";

    public const string SkipReason = "no SQL Server: set OKR_TEST_SQLSERVER or run a Docker engine";

    // SQL Server 2022 on Linux.
    private const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";

    private static readonly List<string> Databases = [];
    private static readonly Lazy<string?> Server = new(FindServer);
    private static MsSqlContainer? _container;

    public static string? ConnectionString => Server.Value;

    /// <summary>A fresh database of its own, with READ_COMMITTED_SNAPSHOT and ALLOW_SNAPSHOT_ISOLATION on, as a store location.</summary>
    public static string NewDatabaseLocation()
    {
        var connectionString = ConnectionString ?? throw new IgnoreException(SkipReason);
        var database = $"okr_{Guid.NewGuid():N}";
        using (var connection = new SqlConnection(connectionString))
        {
            connection.Open();
            Execute(connection, $"CREATE DATABASE [{database}]");
            Execute(connection, $"ALTER DATABASE [{database}] SET READ_COMMITTED_SNAPSHOT ON WITH ROLLBACK IMMEDIATE");
            Execute(connection, $"ALTER DATABASE [{database}] SET ALLOW_SNAPSHOT_ISOLATION ON");
        }

        lock (Databases) Databases.Add(database);
        var builder = new SqlConnectionStringBuilder(connectionString) { InitialCatalog = database };
        return $"sqlserver:{builder}";
    }

    /// <summary>Drops the databases this run made and stops the container it started, if any.</summary>
    public static void DropDatabases()
    {
        if (!Server.IsValueCreated) return; // never asked for: nothing made, nothing started
        string[] databases;
        lock (Databases) databases = [.. Databases];
        if (databases.Length > 0 && ConnectionString is { } connectionString)
        {
            SqlConnection.ClearAllPools();
            using var connection = new SqlConnection(connectionString);
            connection.Open();
            foreach (var database in databases)
            {
                Execute(connection, $"IF DB_ID(N'{database}') IS NOT NULL BEGIN ALTER DATABASE [{database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{database}]; END");
            }
        }

        _container?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static void Execute(SqlConnection connection, string sql)
    {
        using var command = new SqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string? FindServer()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        if (!DockerEngine.Answers) return null;
        _container = new MsSqlBuilder(Image).Build();
        _container.StartAsync().GetAwaiter().GetResult();
        return _container.GetConnectionString();
    }
}
