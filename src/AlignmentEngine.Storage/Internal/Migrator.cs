using System.Collections.Concurrent;
using System.Reflection;

namespace AlignmentEngine.Storage.Internal;

/// <summary>
/// Versioned schema migrations: the embedded scripts <c>NNNN_name.sql</c> of a track's folder (the store's: the
/// standard ones in <c>Migrations/</c>, T-SQL in <c>Migrations/SqlServer/</c>, numbered alike; the cluster
/// membership's in <c>Migrations/ClusterMembership/</c>), applied in order in one transaction each run, recorded in
/// the track's version table (<c>schema_version</c> for the store's). Running again applies nothing; a database whose schema
/// is newer than the newest script here is refused, so an old binary never writes a newer layout.
/// </summary>
internal static class Migrator
{
    private const string StandardFolder = "Migrations/";

    private static readonly ConcurrentDictionary<string, IReadOnlyList<MigrationScript>> ScriptsByFolder = new(StringComparer.Ordinal);

    /// <summary>The newest schema this code knows.</summary>
    public static int Latest => Scripts(StandardFolder)[^1].Version;

    /// <summary>The scripts of one folder, in version order.</summary>
    public static IReadOnlyList<MigrationScript> Scripts(string folder) => ScriptsByFolder.GetOrAdd(folder, LoadScripts);

    /// <summary>Applies what is missing of the store's own schema; returns the versions applied (none when up to date).</summary>
    public static IReadOnlyList<int> Run(SqlDialect dialect) => Run(dialect, dialect.StoreMigrations);

    /// <summary>Applies what is missing of one track's scripts; returns the versions applied (none when up to date).</summary>
    public static IReadOnlyList<int> Run(SqlDialect dialect, MigrationTrack track)
    {
        using var connection = dialect.Open();
        dialect.CheckDatabase(connection);
        using var transaction = connection.BeginTransaction();
        dialect.MigrationLock?.Execute(connection, NoArguments.Value, transaction);
        track.CreateVersionTable.Execute(connection, NoArguments.Value, transaction);
        var current = track.CurrentVersion.Scalar<long?>(connection, NoArguments.Value, transaction) ?? 0;
        var scripts = Scripts(track.Folder);
        if (current > scripts[^1].Version)
        {
            throw new StoreSchemaException(
                $"{dialect.Name} has {track.What} schema version {current}; this build knows up to {scripts[^1].Version}. Run a newer build, or restore a backup made for this one.");
        }

        var applied = new List<int>();
        foreach (var script in scripts.Where(s => s.Version > current))
        {
            Dapper.SqlMapper.Execute(connection, dialect.Schema(script.Text), transaction: transaction);
            track.RecordVersion.Execute(connection, new MigrationRecord(script.Version, script.Name), transaction);
            applied.Add(script.Version);
        }

        transaction.Commit();
        return applied;
    }

    private static List<MigrationScript> LoadScripts(string folder)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            // Only the folder's own scripts, not those of a folder inside it.
            if (!resource.StartsWith(folder, StringComparison.Ordinal) || resource.IndexOf('/', folder.Length) >= 0) continue;
            var name = Path.GetFileNameWithoutExtension(resource);
            var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            scripts.Add(new MigrationScript(version, name, reader.ReadToEnd()));
        }

        if (scripts.Count == 0) throw new InvalidOperationException($"No migration scripts are embedded under {folder}.");
        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        return scripts;
    }
}

/// <summary>One embedded migration: its version (the file name's number), its name, and its SQL (with <c>{blob}</c> for the binary type).</summary>
internal sealed record MigrationScript(int Version, string Name, string Text);
