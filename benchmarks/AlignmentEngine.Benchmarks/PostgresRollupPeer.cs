using AlignmentEngine.Core;
using Npgsql;
using NpgsqlTypes;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The PostgreSQL counterpart of <see cref="SqliteRollupPeer"/>: the same tables, the same recursive depth query
/// and the same UPDATEs per depth from the deepest up, written for PostgreSQL (LEAST/GREATEST, IS NOT DISTINCT
/// FROM, float8). Goals and edges go in by binary COPY into unlogged tables of a schema of its own, dropped on
/// dispose; the server is whatever the connection string names (scripts/test.d/40-postgres.sh starts a
/// throwaway one on loopback). <see cref="Verify"/> checks it agrees with the engine.
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

    private const string Depths = """
        TRUNCATE depths;
        INSERT INTO depths (id, d)
        WITH RECURSIVE walk (id, d) AS (
            SELECT id, 0 FROM goals WHERE NOT EXISTS (SELECT 1 FROM edges WHERE edges.child = goals.id)
            UNION ALL
            SELECT e.child, w.d + 1 FROM walk w JOIN edges e ON e.parent = w.id)
        SELECT id, MAX(d) FROM walk GROUP BY id;
        UPDATE goals SET depth = depths.d FROM depths WHERE depths.id = goals.id;
        """;

    // semantics.md's metric table on an effective current {0} (check-in, start, or the children's sum); {1} is
    // the current as checked in, NULL when there is none.
    private const string Progress = """
        LEAST(1.0, GREATEST(0.0, CASE direction
            WHEN 0 THEN ({0} - m_start) / (m_target - m_start)
            WHEN 1 THEN (m_start - {0}) / (m_start - m_target)
            WHEN 2 THEN CASE WHEN {1} IS NOT NULL AND {1} >= m_target THEN 1.0 ELSE 0.0 END
            WHEN 3 THEN CASE WHEN {1} IS NOT NULL AND {1} <= m_target THEN 1.0 ELSE 0.0 END
            ELSE COALESCE({1}, 0.0) END))
        """;

    private static readonly string Leaves =
        $"UPDATE goals SET eff = COALESCE(m_current, m_start), value = COALESCE(override, {string.Format(Progress, "COALESCE(m_current, m_start)", "m_current")}) " +
        "WHERE direction IS NOT NULL AND aggregates = 0";

    private static readonly string Sums = """
        UPDATE goals SET eff = COALESCE((
            SELECT SUM(c.eff) FROM edges e JOIN goals c ON c.id = e.child
            WHERE e.parent = goals.id AND e.contributes = 1 AND c.counted = 1 AND c.direction IS NOT NULL
              AND c.unit IS NOT DISTINCT FROM goals.unit),
            m_start)
        WHERE depth = $1 AND aggregates = 1
        """;

    private static readonly string SumValues =
        $"UPDATE goals SET value = COALESCE(override, {string.Format(Progress, "eff", "eff")}) WHERE depth = $1 AND aggregates = 1";

    private const string Means = """
        UPDATE goals SET value = COALESCE(override, (
            SELECT CASE WHEN SUM(e.weight) > 0 THEN SUM(e.weight * c.value) / SUM(e.weight) ELSE 0.0 END
            FROM edges e JOIN goals c ON c.id = e.child
            WHERE e.parent = goals.id AND e.contributes = 1 AND c.counted = 1))
        WHERE depth = $1 AND direction IS NULL
        """;

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
        Execute(Depths);
        return RollUpLevels();
    }

    /// <summary>The level-by-level updates alone, on depths already computed (a user who caches them).</summary>
    public double RollUpLevels()
    {
        using var transaction = _connection.BeginTransaction();
        Execute(Leaves);
        var deepest = Convert.ToInt32(Scalar("SELECT MAX(depth) FROM goals"), System.Globalization.CultureInfo.InvariantCulture);
        using var sums = new NpgsqlCommand(Sums, _connection);
        using var sumValues = new NpgsqlCommand(SumValues, _connection);
        using var means = new NpgsqlCommand(Means, _connection);
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

        var top = Convert.ToDouble(Scalar("SELECT value FROM goals WHERE id = 0"), System.Globalization.CultureInfo.InvariantCulture);
        transaction.Commit();
        return top;
    }

    /// <summary>Throws unless every goal's value equals the engine's to 1e-9 (<see cref="RollupPeerCheck"/>).</summary>
    public void Verify(AlignmentGraph graph, DateOnly asOf)
    {
        using var command = new NpgsqlCommand("SELECT code, value FROM goals", _connection);
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
