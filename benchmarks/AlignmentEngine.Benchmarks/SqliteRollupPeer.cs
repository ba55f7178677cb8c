using AlignmentEngine.Core;
using Microsoft.Data.Sqlite;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The roll-up as a user would write it by hand on a relational store: goals and edges in SQLite, each goal's
/// depth by a recursive query, then one set of UPDATEs per depth from the deepest up (<see cref="RollupPeer"/>).
/// Implements the spec's value rules: metrics of every direction, cascaded sums (summing children in the same
/// unit), overrides, and the weighted mean of contributing counted children; <see cref="RollupPeer.Verify"/>
/// checks it agrees with the engine.
/// </summary>
internal sealed class SqliteRollupPeer : RollupPeer
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

    private readonly GoalTree _tree;

    public SqliteRollupPeer(GoalTree tree)
        : base(new SqliteConnection("Data Source=:memory:"), RollupPeerSql.Sqlite, "SQLite")
    {
        _tree = tree;
        Connection.Open();
        Execute(Schema);
        Load();
        Execute(Indexes);
    }

    private void Load()
    {
        var number = new Dictionary<string, int>(_tree.Goals.Count, StringComparer.Ordinal);
        for (var i = 0; i < _tree.Goals.Count; i++) number.Add(_tree.Goals[i].Id, i);
        using var transaction = Connection.BeginTransaction();
        using var goal = Command(
            "INSERT INTO goals (id, code, counted, direction, aggregates, m_start, m_target, m_current, unit, override) " +
            "VALUES ($id, $code, $counted, $direction, $aggregates, $start, $target, $current, $unit, $override)", transaction);
        var p = new[] { "$id", "$code", "$counted", "$direction", "$aggregates", "$start", "$target", "$current", "$unit", "$override" }
            .Select(name => new SqliteParameter { ParameterName = name }).ToArray();
        goal.Parameters.AddRange(p);
        using var edge = Command("INSERT INTO edges (child, parent, weight, contributes) VALUES ($child, $parent, $weight, $contributes)", transaction);
        var q = new[] { "$child", "$parent", "$weight", "$contributes" }.Select(name => new SqliteParameter { ParameterName = name }).ToArray();
        edge.Parameters.AddRange(q);
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
}
