using AlignmentEngine.Tests.Shared;
using Npgsql;

namespace AlignmentEngine.Storage.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use: OKR_TEST_POSTGRES (a connection string), else the throwaway one
/// scripts/test started (.test-output/postgres.conn). Without either, PostgreSQL tests are skipped.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "OKR_TEST_POSTGRES";

    private static readonly List<string> Schemas = [];

    public static string? ConnectionString
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
            var file = Path.Combine(RepoPaths.Root, ".test-output", "postgres.conn");
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
    }

    public static string RequireConnectionString() =>
        ConnectionString ?? throw new IgnoreException("PostgreSQL not configured: scripts/test starts one; or set OKR_TEST_POSTGRES");

    /// <summary>Drops the schemas this run made (an existing server given by OKR_TEST_POSTGRES keeps nothing of ours).</summary>
    public static void DropSchemas()
    {
        string[] schemas;
        lock (Schemas) schemas = [.. Schemas];
        if (schemas.Length == 0 || ConnectionString is not { } connectionString) return;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        foreach (var schema in schemas)
        {
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
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
}
