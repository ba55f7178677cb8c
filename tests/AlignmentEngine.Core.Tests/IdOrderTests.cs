namespace AlignmentEngine.Core.Tests;

/// <summary>
/// Change results list their goals in ordinal id order whether the graph's id ranks (IdOrder) are current, stale
/// after goals were added, or made again by a large result; and they list the same goals as a graph built afresh (whose
/// values may differ in the last bits: its children are summed in the exported order).
/// </summary>
public sealed class IdOrderTests
{
    private static readonly DateOnly AsOf = Synthetic.OrganisationGenerator.AsOf;

    [Test]
    public void Apply_BeforeAndAfterGoalsAreAdded_ReportsTheGoalsSortedByIdAsAFreshGraphDoes()
    {
        var tree = Synthetic.OrganisationGenerator.Generate(2_000, seed: 11);
        var graph = Trees.Build(tree);

        // Exported at each step for a fresh graph, so that the graph under test never sorts all its ids (which ranks them).
        var mirror = Trees.Build(tree);
        var targets = tree.Goals
            .Where(g => g.Metric is { Aggregates: false, Direction: MetricDirection.Increase } && g.State.IsCounted())
            .ToList();
        var parent = targets[0].Parents[0].ParentId;

        // New goals whose ids sort among the existing ones (and one before them all), in one change set.
        GoalChange[] added =
        [
            new UpsertGoal(Trees.Kr(targets[0].Id + ".a", parent, Trees.Increase(0, 10))),
            new UpsertGoal(Trees.Kr("0-first", parent, Trees.Increase(0, 10))),
        ];
        var existing = targets.Take(3).Select(g => (GoalChange)new CheckIn(g.Id, g.Metric!.Target!.Value)).ToList();
        var few = existing.Concat([new CheckIn(targets[0].Id + ".a", 7), new CheckIn("0-first", 3)]).ToList();
        var many = targets.Select(g => (GoalChange)new CheckIn(g.Id, g.Metric!.Start)).ToList();
        var again = few.Select(c => c is CheckIn checkIn ? (GoalChange)(checkIn with { Value = checkIn.Value / 2 }) : c).ToList();

        foreach (var changes in new IReadOnlyList<GoalChange>[] { existing, added, few, many, again })
        {
            var fresh = Trees.Build(mirror.Export());
            mirror.Apply(changes, AsOf);
            var result = graph.Apply(changes, AsOf);

            result.Accepted.Should().BeTrue(string.Join("; ", result.Errors.Select(e => e.Message).Concat(result.Missing.Select(m => m.Message))));
            result.Goals.Should().NotBeEmpty();
            result.Goals.Select(g => g.Id).Should().BeInAscendingOrder(StringComparer.Ordinal);
            result.Goals.Select(g => g.Id).Should().Equal(fresh.Apply(changes, AsOf).Goals.Select(g => g.Id), "a fresh graph ranks every id as it is built");
        }
    }
}
