namespace AlignmentEngine.Core.Tests;

/// <summary>
/// A change result's goal deltas (<see cref="GoalDeltaList"/>: packed rows in chunks) read back exactly as the goals
/// were before and after, in id order, across chunk boundaries and by every way the engine orders them: on the ids'
/// ranks, on packed ids (a change that adds a goal) and as strings (a short one that does).
/// </summary>
public sealed class GoalDeltaListTests
{
    private static readonly DateOnly AsOf = Synthetic.OrganisationGenerator.AsOf;

    [TestCase(false, TestName = "Deltas_OfAChangeSetMovingThousandsOfGoals_AreEachGoalBeforeAndAfterInIdOrder(ranked ids)")]
    [TestCase(true, TestName = "Deltas_OfAChangeSetMovingThousandsOfGoals_AreEachGoalBeforeAndAfterInIdOrder(a goal added)")]
    public void Deltas_OfAChangeSetMovingThousandsOfGoals_AreEachGoalBeforeAndAfterInIdOrder(bool addGoal)
    {
        var tree = Synthetic.OrganisationGenerator.Generate(12_000, seed: 5);
        var graph = Trees.Build(tree);
        var changes = tree.Goals
            .Where(g => g.Metric is { Aggregates: false, Direction: MetricDirection.Increase } && g.State.IsCounted())
            .Select(g => (GoalChange)new CheckIn(g.Id, g.Metric!.Target!.Value * 0.9))
            .ToList();
        if (addGoal) changes.Add(new UpsertGoal(Trees.Kr("zz.added", tree.Goals[0].Id, Trees.Increase(0, 10, 5))));

        var result = AppliedWithReports(graph, changes, out var before, out var after);

        result.Goals.Count.Should().BeGreaterThan(2 * GoalDeltaList.ChunkSize, "a result of several chunks");
        ShouldBeTheMovedGoals(result.Goals, before, after);
    }

    [Test]
    public void Deltas_OfAShortChangeSetThatAddsAndRemovesGoals_AreSortedAsStrings()
    {
        var graph = Trees.GraphOf(
            Trees.Objective("C", GoalLevel.Company),
            Trees.Kr("C.b", "C", Trees.Increase(0, 10, 2)),
            Trees.Kr("C.d", "C", Trees.Increase(0, 10, 8)));
        GoalChange[] changes =
        [
            new UpsertGoal(Trees.Kr("C.c", "C", Trees.Increase(0, 10, 5))),
            new RemoveGoal("C.d"),
            new UpsertGoal(Trees.Kr("C.a", "C", Trees.Increase(0, 10, 1))),
            new CheckIn("C.b", 7),
        ];

        var result = AppliedWithReports(graph, changes, out var before, out var after);

        result.Goals.Select(g => g.Id).Should().Equal("C", "C.a", "C.b", "C.c", "C.d");
        result.Goals[1].Before.Should().BeNull("C.a is new");
        result.Goals[4].After.Should().BeNull("C.d is removed");
        ShouldBeTheMovedGoals(result.Goals, before, after);
    }

    [Test]
    public void Indexer_OutsideTheList_Throws()
    {
        var graph = Trees.GraphOf(Trees.Objective("C", GoalLevel.Company), Trees.Kr("C.1", "C", Trees.Increase(0, 10, 2)));

        var goals = graph.Apply([new CheckIn("C.1", 4)], Trees.AsOf).Goals;

        goals.Should().HaveCount(2);
        FluentActions.Invoking(() => goals[2]).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => goals[-1]).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static ChangeResult AppliedWithReports(AlignmentGraph graph, IReadOnlyList<GoalChange> changes, out RollupReport before, out RollupReport after)
    {
        before = graph.Rollup(AsOf);
        var result = graph.Apply(changes, AsOf);
        result.Accepted.Should().BeTrue();
        after = graph.Rollup(AsOf);
        return result;
    }

    /// <summary>
    /// The deltas are every goal whose progress or health differs between the two reports, bit for bit, each with its
    /// snapshot from each report (none where the goal is absent), in ordinal id order; indexer and enumerator agree.
    /// </summary>
    private static void ShouldBeTheMovedGoals(IReadOnlyList<GoalDelta> deltas, RollupReport before, RollupReport after)
    {
        var old = before.Goals.ToDictionary(g => g.Id, g => new GoalSnapshot(g.Progress, g.Health));
        var now = after.Goals.ToDictionary(g => g.Id, g => new GoalSnapshot(g.Progress, g.Health));
        var moved = old.Keys.Union(now.Keys)
            .Where(id => !old.TryGetValue(id, out var b) || !now.TryGetValue(id, out var a) || b != a)
            .Order(StringComparer.Ordinal)
            .Select(id => new GoalDelta(id, old.TryGetValue(id, out var b) ? b : null, now.TryGetValue(id, out var a) ? a : null))
            .ToList();

        deltas.Should().Equal(moved);
        Enumerable.Range(0, deltas.Count).Select(k => deltas[k]).Should().Equal(deltas.ToList());
    }
}
