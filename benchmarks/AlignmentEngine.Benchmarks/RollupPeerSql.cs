namespace AlignmentEngine.Benchmarks;

/// <summary>
/// The SQL of the hand-written roll-up peers, written once for both databases: each goal's depth by a recursive
/// query (its longest path from a root, so every child is deeper than each of its parents), then per depth from
/// the deepest up one UPDATE for cascaded sums and one for weighted means. The dialects differ only in the
/// spelling of a scalar min/max, of a null-safe equality, of a statement parameter and of emptying a table (each
/// database's fast way), which the constructor takes.
/// Tables: <c>goals</c> (id, code, depth, counted, direction, aggregates, m_start, m_target, m_current, unit,
/// override, eff, value), <c>edges</c> (child, parent, weight, contributes) and <c>depths</c> (id, d).
/// </summary>
internal sealed class RollupPeerSql
{
    public static readonly RollupPeerSql Sqlite = new("MIN", "MAX", "IS", "$d", "$d", "DELETE FROM");

    // Npgsql binds unnamed parameters by position.
    public static readonly RollupPeerSql Postgres = new("LEAST", "GREATEST", "IS NOT DISTINCT FROM", "$1", "", "TRUNCATE");

    private const string DepthsAfterEmptying = """
        INSERT INTO depths (id, d)
        WITH RECURSIVE walk (id, d) AS (
            SELECT id, 0 FROM goals WHERE NOT EXISTS (SELECT 1 FROM edges WHERE edges.child = goals.id)
            UNION ALL
            SELECT e.child, w.d + 1 FROM walk w JOIN edges e ON e.parent = w.id)
        SELECT id, MAX(d) FROM walk GROUP BY id;
        UPDATE goals SET depth = depths.d FROM depths WHERE depths.id = goals.id;
        """;

    public const string Deepest = "SELECT MAX(depth) FROM goals";

    public const string Top = "SELECT value FROM goals WHERE id = 0";

    public const string Values = "SELECT code, value FROM goals";

    private RollupPeerSql(string least, string greatest, string nullSafeEquals, string depth, string depthParameter, string empty)
    {
        DepthParameter = depthParameter;
        Depths = $"{empty} depths;\n{DepthsAfterEmptying}";

        // semantics.md's metric table on an effective current {0} (check-in, start, or the children's sum); {1}
        // is the current as checked in, NULL when there is none.
        var progress = $$"""
            {{least}}(1.0, {{greatest}}(0.0, CASE direction
                WHEN 0 THEN ({0} - m_start) / (m_target - m_start)
                WHEN 1 THEN (m_start - {0}) / (m_start - m_target)
                WHEN 2 THEN CASE WHEN {1} IS NOT NULL AND {1} >= m_target THEN 1.0 ELSE 0.0 END
                WHEN 3 THEN CASE WHEN {1} IS NOT NULL AND {1} <= m_target THEN 1.0 ELSE 0.0 END
                ELSE COALESCE({1}, 0.0) END))
            """;
        Leaves = $"UPDATE goals SET eff = COALESCE(m_current, m_start), value = COALESCE(override, {string.Format(progress, "COALESCE(m_current, m_start)", "m_current")}) " +
            "WHERE direction IS NOT NULL AND aggregates = 0";
        Sums = $"""
            UPDATE goals SET eff = COALESCE((
                SELECT SUM(c.eff) FROM edges e JOIN goals c ON c.id = e.child
                WHERE e.parent = goals.id AND e.contributes = 1 AND c.counted = 1 AND c.direction IS NOT NULL
                  AND c.unit {nullSafeEquals} goals.unit),
                m_start)
            WHERE depth = {depth} AND aggregates = 1
            """;
        SumValues = $"UPDATE goals SET value = COALESCE(override, {string.Format(progress, "eff", "eff")}) WHERE depth = {depth} AND aggregates = 1";
        Means = $"""
            UPDATE goals SET value = COALESCE(override, (
                SELECT CASE WHEN SUM(e.weight) > 0 THEN SUM(e.weight * c.value) / SUM(e.weight) ELSE 0.0 END
                FROM edges e JOIN goals c ON c.id = e.child
                WHERE e.parent = goals.id AND e.contributes = 1 AND c.counted = 1))
            WHERE depth = {depth} AND direction IS NULL
            """;
    }

    /// <summary>The name to give the depth parameter of <see cref="Sums"/>, <see cref="SumValues"/> and <see cref="Means"/>.</summary>
    public string DepthParameter { get; }

    /// <summary>Every goal's depth, by the recursive query, into <c>goals.depth</c>.</summary>
    public string Depths { get; }

    /// <summary>Value and effective current of every goal valued by its own metric (the roll-up's inputs).</summary>
    public string Leaves { get; }

    /// <summary>Effective current of the cascaded sums at one depth (the parameter).</summary>
    public string Sums { get; }

    /// <summary>Value of the cascaded sums at one depth, from the effective current just summed.</summary>
    public string SumValues { get; }

    /// <summary>Value of the goals without a metric at one depth: the weighted mean of contributing counted children.</summary>
    public string Means { get; }
}
