using AlignmentEngine.Core;
using Npgsql;
using NpgsqlTypes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The PostgreSQL counterpart of <see cref="SqliteRollupPeer"/>: the same tables, the same recursive depth query
/// and the same UPDATEs per depth from the deepest up (<see cref="RollupPeerSql"/>, in PostgreSQL's spelling).
/// Goals and edges go in by binary COPY into unlogged tables of a schema of its own, dropped on dispose; the
/// server is whatever the connection string names (scripts/test.d/40-postgres.sh starts a throwaway one on
/// loopback). <see cref="Verify"/> checks it agrees with the engine.
/// </summary>
internal sealed class PostgresRollupPeer : IDisposable
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

    private static readonly RollupPeerSql Sql = RollupPeerSql.Postgres;

    private readonly NpgsqlConnection _connection;

    public PostgresRollupPeer(GoalTree tree, string connectionString)
    {
        _connection = new NpgsqlConnection(connectionString);
        _connection.Open();
        Execute(Schema);
        Load(tree);
        Execute(Indexes);
    }

    /// <summary>The whole roll-up: depths by the recursive query, then the level-by-level updates.</summary>
    public double RollUp()
    {
        Execute(Sql.Depths);
        return RollUpLevels();
    }

    /// <summary>The level-by-level updates alone, on depths already computed (a user who caches them).</summary>
    public double RollUpLevels()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(Sql.Leaves);
        var deepest = Convert.ToInt32(Scalar(RollupPeerSql.Deepest), System.Globalization.CultureInfo.InvariantCulture);
        using var sums = new NpgsqlCommand(Sql.Sums, _connection);
        using var sumValues = new NpgsqlCommand(Sql.SumValues, _connection);
        using var means = new NpgsqlCommand(Sql.Means, _connection);
        var depths = new[] { sums, sumValues, means }.Select(c => AddDepth(c)).ToArray();
        sums.Prepare();
        sumValues.Prepare();
        means.Prepare();
        for (var d = deepest; d >= 0; d--)
        {
            foreach (var depth in depths) depth.TypedValue = d;
            sums.ExecuteNonQuery();
            sumValues.ExecuteNonQuery();
            means.ExecuteNonQuery();
        }

        var top = Convert.ToDouble(Scalar(RollupPeerSql.Top), System.Globalization.CultureInfo.InvariantCulture);
        transaction.Commit();
        return top;
    }

    /// <summary>Throws unless every goal's value equals the engine's to 1e-9 (<see cref="RollupPeerCheck"/>).</summary>
    public void Verify(AlignmentGraph graph, DateOnly asOf)
    {
        using var command = new NpgsqlCommand(RollupPeerSql.Values, _connection);
        using var reader = command.ExecuteReader();
        RollupPeerCheck.Verify("PostgreSQL", reader, graph, asOf);
    }

    public void Dispose()
    {
        Execute("DROP SCHEMA IF EXISTS okr_rollup_peer CASCADE");
        _connection.Dispose();
    }

    private void Load(GoalTree tree)
    {
        var number = new Dictionary<string, int>(tree.Goals.Count, StringComparer.Ordinal);
        for (var i = 0; i < tree.Goals.Count; i++) number.Add(tree.Goals[i].Id, i);
        using (var goals = _connection.BeginBinaryImport(
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

        using var edges = _connection.BeginBinaryImport("COPY edges (child, parent, weight, contributes) FROM STDIN (FORMAT BINARY)");
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

    private static NpgsqlParameter<int> AddDepth(NpgsqlCommand command)
    {
        var depth = new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer };
        command.Parameters.Add(depth);
        return depth;
    }

    private static void WriteOrNull<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v) importer.Write(v, type);
        else importer.WriteNull();
    }

    private void Execute(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = new NpgsqlCommand(sql, _connection);
        return command.ExecuteScalar();
    }
}
