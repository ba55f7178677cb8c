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
    public static Task<IReadOnlyList<int>> RunAsync(SqlDialect dialect, CancellationToken cancellationToken) => RunAsync(dialect, dialect.StoreMigrations, cancellationToken);

    /// <summary>Applies what is missing of one track's scripts; returns the versions applied (none when up to date).</summary>
    public static async Task<IReadOnlyList<int>> RunAsync(SqlDialect dialect, MigrationTrack track, CancellationToken cancellationToken)
    {
        await using var connection = await dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await dialect.CheckDatabaseAsync(connection, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (dialect.MigrationLock is { } migrationLock) await migrationLock.ExecuteAsync(connection, NoArguments.Value, transaction, cancellationToken).ConfigureAwait(false);
        await track.CreateVersionTable.ExecuteAsync(connection, NoArguments.Value, transaction, cancellationToken).ConfigureAwait(false);
        var current = await track.CurrentVersion.ScalarAsync<long?>(connection, NoArguments.Value, transaction, cancellationToken).ConfigureAwait(false) ?? 0;
        var scripts = Scripts(track.Folder);
        if (current > scripts[^1].Version)
        {
            throw new StoreSchemaException(
                $"{dialect.Name} has {track.What} schema version {current}; this build knows up to {scripts[^1].Version}. Run a newer build, or restore a backup made for this one.");
        }

        var applied = new List<int>();
        foreach (var script in scripts.Where(s => s.Version > current))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(dialect.Schema(script.Text), transaction: transaction, cancellationToken: cancellationToken))
                .ConfigureAwait(false);
            await track.RecordVersion.ExecuteAsync(connection, new MigrationRecord(script.Version, script.Name), transaction, cancellationToken).ConfigureAwait(false);
            applied.Add(script.Version);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
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
