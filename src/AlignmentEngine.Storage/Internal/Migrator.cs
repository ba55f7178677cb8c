using System.Reflection;
using Dapper;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// Versioned schema migrations: the embedded scripts <c>Migrations/NNNN_name.sql</c>, applied in order in one
/// transaction each run, recorded in <c>schema_version</c>. Running again applies nothing; a database whose
/// schema is newer than the newest script here is refused, so an old binary never writes a newer layout.
/// </summary>
internal static class Migrator
{
    private static readonly IReadOnlyList<(int Version, string Name, string Script)> Scripts = LoadScripts();

    /// <summary>The newest schema this code knows.</summary>
    public static int Latest => Scripts[^1].Version;

    /// <summary>Applies what is missing; returns the versions applied (none when up to date).</summary>
    public static IReadOnlyList<int> Run(SqlDialect dialect)
    {
        using var connection = dialect.Open();
        using var transaction = connection.BeginTransaction();
        dialect.LockForMigration(connection, transaction);
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL)", transaction: transaction);
        var current = connection.ExecuteScalar<long?>("SELECT MAX(version) FROM schema_version", transaction: transaction) ?? 0;
        if (current > Latest)
        {
            throw new StoreSchemaException(
                $"{dialect.Name} has schema version {current}; this build knows up to {Latest}. Run a newer build, or restore a backup made for this one.");
        }

        var applied = new List<int>();
        foreach (var (version, name, script) in Scripts.Where(s => s.Version > current))
        {
            connection.Execute(dialect.Schema(script), transaction: transaction);
            connection.Execute("INSERT INTO schema_version (version, name) VALUES (@version, @name)", new { version = (long)version, name }, transaction);
            applied.Add(version);
        }

        transaction.Commit();
        return applied;
    }

    private static List<(int, string, string)> LoadScripts()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(resource);
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add((version, name, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts;
    }
}
