using AlignmentEngine.Core;
using Npgsql;
using NpgsqlTypes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The PostgreSQL counterpart of <see cref="SqliteRollupPeer"/>: the same tables, the same recursive depth query
/// and the same UPDATEs per depth from the deepest up (<see cref="RollupPeerSql"/>, in PostgreSQL's spelling).
/// Goals and edges go in by binary COPY into unlogged tables of a schema of its own, dropped on dispose; the
/// server is whatever the connection string names (scripts/test.d/40-postgres.sh starts a throwaway one on
/// loopback). <see cref="RollupPeer.Verify"/> checks it agrees with the engine.
/// </summary>
internal sealed class PostgresRollupPeer : RollupPeer
{
    /// <summary>Where the benchmark reads its connection string; unset, the PostgreSQL peer is not run.</summary>
    public const string ConnectionVariable = "OKR_BENCH_POSTGRES";

    private const string Schema = """
        DROP SCHEMA IF EXISTS okr_rollup_peer CASCADE;
        CREATE SCHEMA okr_rollup_peer;
        SET search_path TO okr_rollup_peer;
        CREATE UNLOGGED TABLE goals (
            id integer PRIMARY KEY, code text NOT NULL, depth integer, counted integer NOT NULL,
            direction integer, aggregates integer NOT NULL, m_start float8, m_target float8, m_current float8,
            unit text, override float8, eff float8, value float8);
        CREATE UNLOGGED TABLE edges (child integer NOT NULL, parent integer NOT NULL, weight float8 NOT NULL, contributes integer NOT NULL);
        CREATE UNLOGGED TABLE depths (id integer PRIMARY KEY, d integer NOT NULL);
        """;

    private const string Indexes = """
        CREATE INDEX edges_parent ON edges (parent);
        CREATE INDEX edges_child ON edges (child);
        CREATE INDEX goals_depth ON goals (depth);
        ANALYZE goals;
        ANALYZE edges;
        """;

    public PostgresRollupPeer(GoalTree tree, string connectionString)
        : base(new NpgsqlConnection(connectionString), RollupPeerSql.Postgres, "PostgreSQL")
    {
        Connection.Open();
        Execute(Schema);
        Load(tree);
        Execute(Indexes);
    }

    protected override void BeforeClose() => Execute("DROP SCHEMA IF EXISTS okr_rollup_peer CASCADE");

    private NpgsqlConnection Postgres => (NpgsqlConnection)Connection;

    private void Load(GoalTree tree)
    {
        var number = new Dictionary<string, int>(tree.Goals.Count, StringComparer.Ordinal);
        for (var i = 0; i < tree.Goals.Count; i++) number.Add(tree.Goals[i].Id, i);
        using (var goals = Postgres.BeginBinaryImport(
            "COPY goals (id, code, counted, direction, aggregates, m_start, m_target, m_current, unit, override) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < tree.Goals.Count; i++)
            {
                var g = tree.Goals[i];
                var m = g.Metric;
                goals.StartRow();
                goals.Write(i, NpgsqlDbType.Integer);
                goals.Write(g.Id, NpgsqlDbType.Text);
                goals.Write(g.State.IsCounted() ? 1 : 0, NpgsqlDbType.Integer);
                WriteOrNull(goals, m is null ? null : (int?)m.Direction, NpgsqlDbType.Integer);
                goals.Write(m?.Aggregates == true ? 1 : 0, NpgsqlDbType.Integer);
                WriteOrNull(goals, m?.Start, NpgsqlDbType.Double);
                WriteOrNull(goals, m?.Target, NpgsqlDbType.Double);
                WriteOrNull(goals, m?.Current, NpgsqlDbType.Double);
                if (m?.Unit is { } unit) goals.Write(unit, NpgsqlDbType.Text);
                else goals.WriteNull();
                WriteOrNull(goals, g.ProgressOverride, NpgsqlDbType.Double);
            }

            goals.Complete();
        }

        using var edges = Postgres.BeginBinaryImport("COPY edges (child, parent, weight, contributes) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < tree.Goals.Count; i++)
        {
            foreach (var link in tree.Goals[i].Parents)
            {
                edges.StartRow();
                edges.Write(i, NpgsqlDbType.Integer);
                edges.Write(number[link.ParentId], NpgsqlDbType.Integer);
                edges.Write(link.Weight, NpgsqlDbType.Double);
                edges.Write(link.Contributes ? 1 : 0, NpgsqlDbType.Integer);
            }
        }

        edges.Complete();
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v) importer.Write(v, type);
        else importer.WriteNull();
    }
}
