using AlignmentEngine.Tests.Shared;
using Npgsql;
using Testcontainers.PostgreSql;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use: OKR_TEST_POSTGRES (a connection string) when set, else a throwaway
/// container (Testcontainers) when a Docker engine answers, else the throwaway cluster scripts/test started
/// (.test-output/postgres.conn). Without any, PostgreSQL tests are skipped.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "OKR_TEST_POSTGRES";

    // PostgreSQL 15, the version the README names and scripts/test installs from Debian.
    private const string Image = "postgres:15-alpine";

    private static readonly List<string> Schemas = [];
    private static readonly Lazy<string?> Server = new(FindServer);
    private static PostgreSqlContainer? _container;

    public static string? ConnectionString => Server.Value;

    public static string RequireConnectionString() =>
        ConnectionString ?? throw new IgnoreException("PostgreSQL not configured: scripts/test starts one; or set OKR_TEST_POSTGRES, or run a Docker engine");

    /// <summary>Drops the schemas this run made and stops the container it started, if any.</summary>
    public static void DropSchemas()
    {
        if (!Server.IsValueCreated) return; // never asked for: nothing made, nothing started
        string[] schemas;
        lock (Schemas) schemas = [.. Schemas];
        if (schemas.Length > 0 && ConnectionString is { } connectionString)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            foreach (var schema in schemas)
            {
                using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
                command.ExecuteNonQuery();
            }
        }

        _container?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>A fresh schema of its own, as a store location whose search path is that schema.</summary>
    public static string NewSchemaLocation()
    {
        var connectionString = RequireConnectionString();
        var schema = $"t_{Guid.NewGuid():N}";
        using (var connection = new NpgsqlConnection(connectionString))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }

        lock (Schemas) Schemas.Add(schema);
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema };
        return $"postgres:{builder}";
    }

    private static string? FindServer()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        if (DockerEngine.Answers)
        {
            _container = new PostgreSqlBuilder(Image).Build();
            _container.StartAsync().GetAwaiter().GetResult();
            return _container.GetConnectionString();
        }

        var file = Path.Combine(RepoPaths.Root, ".test-output", "postgres.conn");
        return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
    }
}
