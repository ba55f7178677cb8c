namespace AlignmentEngine.Core.Tests;

/// <summary>Comparisons of a live graph against a graph rebuilt from scratch.</summary>
internal static class GraphAssertions
{
    public const double Tolerance = 1e-9;

    /// <summary>The live graph's roll-up equals a full recomputation of its own export, to 1e-9.</summary>
    public static void ShouldEqualFullRecomputation(this AlignmentGraph graph, DateOnly asOf)
    {
        var fresh = AlignmentGraph.Build(graph.Export());
        fresh.Errors.Should().BeEmpty("a graph that accepted its changes exports a valid tree");
        ShouldMatch(graph.Rollup(asOf), fresh.Graph!.Rollup(asOf));
    }

    public static void ShouldMatch(RollupReport actual, RollupReport expected)
    {
        actual.Goals.Select(g => g.Id).Should().Equal(expected.Goals.Select(g => g.Id));
        for (var k = 0; k < actual.Goals.Count; k++)
        {
            var (a, e) = (actual.Goals[k], expected.Goals[k]);
            a.Progress.Should().BeApproximately(e.Progress, Tolerance, a.Id);
            a.Attainment.Should().BeApproximately(e.Attainment, Tolerance, a.Id);
            (a.Health, a.Counted, a.Level, a.Period, a.Expected).Should().Be((e.Health, e.Counted, e.Level, e.Period, e.Expected), a.Id);
        }

        actual.Findings.Should().Equal(expected.Findings);
    }

    /// <summary>What a change did, computed the slow way: full reports before and after, compared goal by goal.</summary>
    public static (List<GoalDelta> Goals, List<Finding> Appeared, List<Finding> Disappeared) Diff(RollupReport before, RollupReport after)
    {
        var old = before.Goals.ToDictionary(g => g.Id);
        var now = after.Goals.ToDictionary(g => g.Id);
        var deltas = new List<GoalDelta>();
        foreach (var id in old.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            GoalSnapshot? b = old.TryGetValue(id, out var o) ? new GoalSnapshot(o.Progress, o.Health) : null;
            GoalSnapshot? a = now.TryGetValue(id, out var n) ? new GoalSnapshot(n.Progress, n.Health) : null;
            if (b is null || a is null || b.Value.Health != a.Value.Health || Math.Abs(b.Value.Progress - a.Value.Progress) > Tolerance)
            {
                deltas.Add(new GoalDelta(id, b, a));
            }
        }

        return (deltas, Minus(after.Findings, before.Findings), Minus(before.Findings, after.Findings));
    }

    private static List<Finding> Minus(IReadOnlyList<Finding> from, IReadOnlyList<Finding> minus)
    {
        var left = minus.ToList();
        var result = new List<Finding>();
        foreach (var f in from)
        {
            if (!left.Remove(f)) result.Add(f);
        }

        return result;
    }

    /// <summary>A change result's goals, ignoring differences of rounding noise below the tolerance.</summary>
    public static IEnumerable<GoalDelta> Significant(IEnumerable<GoalDelta> deltas) =>
        deltas.Where(d => d.Before is null || d.After is null || d.Before.Value.Health != d.After.Value.Health
            || Math.Abs(d.Before.Value.Progress - d.After.Value.Progress) > Tolerance);
}
