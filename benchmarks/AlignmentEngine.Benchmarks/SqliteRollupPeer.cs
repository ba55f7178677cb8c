using AlignmentEngine.Core;
using Microsoft.Data.Sqlite;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The roll-up as a user would write it by hand on a relational store: goals and edges in SQLite, each goal's
/// depth by a recursive query (its longest path from a root, so every child is deeper than each of its
/// parents), then one set of UPDATEs per depth from the deepest up. Implements the spec's value rules: metrics
/// of every direction, cascaded sums (summing children in the same unit), overrides, and the weighted mean of
/// contributing counted children; <see cref="Verify"/> checks it agrees with the engine.
/// </summary>
internal sealed class SqliteRollupPeer : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        PRAGMA temp_store = MEMORY;
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY, code TEXT NOT NULL, depth INTEGER, counted INTEGER NOT NULL,
            direction INTEGER, aggregates INTEGER NOT NULL, m_start REAL, m_target REAL, m_current REAL,
            unit TEXT, override REAL, eff REAL, value REAL);
        CREATE TABLE edges (child INTEGER NOT NULL, parent INTEGER NOT NULL, weight REAL NOT NULL, contributes INTEGER NOT NULL);
        CREATE TABLE depths (id INTEGER PRIMARY KEY, d INTEGER NOT NULL);
        """;

    private const string Indexes = """
        CREATE INDEX edges_parent ON edges (parent);
        CREATE INDEX edges_child ON edges (child);
        CREATE INDEX goals_depth ON goals (depth);
        ANALYZE;
        """;

    private const string Depths = """
        DELETE FROM depths;
        INSERT INTO depths (id, d)
        WITH RECURSIVE walk (id, d) AS (
            SELECT id, 0 FROM goals WHERE NOT EXISTS (SELECT 1 FROM edges WHERE edges.child = goals.id)
            UNION ALL
            SELECT e.child, w.d + 1 FROM walk w JOIN edges e ON e.parent = w.id)
        SELECT id, MAX(d) FROM walk GROUP BY id;
        UPDATE goals SET depth = depths.d FROM depths WHERE depths.id = goals.id;
        """;

    // The metric table of semantics.md on the effective current @cur (check-in, start, or the children's sum).
    private const string Progress = """
        MIN(1.0, MAX(0.0, CASE direction
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
            WHERE e.parent = goals.id AND e.contributes = 1 AND c.counted = 1 AND c.direction IS NOT NULL AND c.unit IS goals.unit),
            m_start)
        WHERE depth = $d AND aggregates = 1;
        """ + $"UPDATE goals SET value = COALESCE(override, {string.Format(Progress, "eff", "eff")}) WHERE depth = $d AND aggregates = 1;";

    private const string Means = """
        UPDATE goals SET value = COALESCE(override, (
            SELECT CASE WHEN SUM(e.weight) > 0 THEN SUM(e.weight * c.value) / SUM(e.weight) ELSE 0.0 END
            FROM edges e JOIN goals c ON c.id = e.child
            WHERE e.parent = goals.id AND e.contributes = 1 AND c.counted = 1))
        WHERE depth = $d AND direction IS NULL;
        """;

    private readonly SqliteConnection _connection;
    private readonly GoalTree _tree;

    public SqliteRollupPeer(GoalTree tree)
    {
        _tree = tree;
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        Execute(Schema);
        Load();
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
        Execute(Leaves, transaction);
        var deepest = Convert.ToInt32(Scalar("SELECT MAX(depth) FROM goals", transaction), System.Globalization.CultureInfo.InvariantCulture);
        using var sums = Command(Sums, transaction);
        using var means = Command(Means, transaction);
        var depth = sums.Parameters.Add("$d", SqliteType.Integer);
        means.Parameters.Add(depth);
        for (var d = deepest; d >= 0; d--)
        {
            depth.Value = d;
            sums.ExecuteNonQuery();
            means.ExecuteNonQuery();
        }

        var top = Convert.ToDouble(Scalar("SELECT value FROM goals WHERE id = 0", transaction), System.Globalization.CultureInfo.InvariantCulture);
        transaction.Commit();
        return top;
    }

    /// <summary>Throws unless every goal's value equals the engine's to 1e-9 (<see cref="RollupPeerCheck"/>).</summary>
    public void Verify(AlignmentGraph graph, DateOnly asOf)
    {
        using var command = Command("SELECT code, value FROM goals", null);
        using var reader = command.ExecuteReader();
        RollupPeerCheck.Verify("SQLite", reader, graph, asOf);
    }

    public void Dispose() => _connection.Dispose();

    private void Load()
    {
        var number = new Dictionary<string, int>(_tree.Goals.Count, StringComparer.Ordinal);
        for (var i = 0; i < _tree.Goals.Count; i++) number.Add(_tree.Goals[i].Id, i);
        using var transaction = _connection.BeginTransaction();
        using var goal = Command(
            "INSERT INTO goals (id, code, counted, direction, aggregates, m_start, m_target, m_current, unit, override) " +
            "VALUES ($id, $code, $counted, $direction, $aggregates, $start, $target, $current, $unit, $override)", transaction);
        var p = new[] { "$id", "$code", "$counted", "$direction", "$aggregates", "$start", "$target", "$current", "$unit", "$override" }
            .Select(name => goal.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        using var edge = Command("INSERT INTO edges (child, parent, weight, contributes) VALUES ($child, $parent, $weight, $contributes)", transaction);
        var q = new[] { "$child", "$parent", "$weight", "$contributes" }.Select(name => edge.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        goal.Prepare();
        edge.Prepare();
        for (var i = 0; i < _tree.Goals.Count; i++)
        {
            var g = _tree.Goals[i];
            var m = g.Metric;
            p[0].Value = i;
            p[1].Value = g.Id;
            p[2].Value = g.State.IsCounted() ? 1 : 0;
            p[3].Value = m is null ? DBNull.Value : (int)m.Direction;
            p[4].Value = m?.Aggregates == true ? 1 : 0;
            p[5].Value = m?.Start ?? (object)DBNull.Value;
            p[6].Value = m?.Target ?? (object)DBNull.Value;
            p[7].Value = m?.Current ?? (object)DBNull.Value;
            p[8].Value = m?.Unit ?? (object)DBNull.Value;
            p[9].Value = g.ProgressOverride ?? (object)DBNull.Value;
            goal.ExecuteNonQuery();
            foreach (var link in g.Parents)
            {
                q[0].Value = i;
                q[1].Value = number[link.ParentId];
                q[2].Value = link.Weight;
                q[3].Value = link.Contributes ? 1 : 0;
                edge.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    private void Execute(string sql, SqliteTransaction? transaction = null)
    {
        using var command = Command(sql, transaction);
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql, SqliteTransaction transaction)
    {
        using var command = Command(sql, transaction);
        return command.ExecuteScalar();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
