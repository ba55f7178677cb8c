using static AlignmentEngine.Core.Tests.Trees;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The undo log when one change set writes a goal's values first (a check-in, an override: only the value
/// columns are saved) and then its whole row (a state change, an upsert, or anchoring reached by propagation):
/// the result's "before" and the rollback must both see the values as they were before the change set.
/// </summary>
public sealed class AlignmentGraphTransactionTests
{
    private static AlignmentGraph Company() => GraphOf(
        Objective("C", GoalLevel.Company),
        Objective("T", null, "C"),
        Kr("T.KR1", "T", Increase(0, 10, 2)),
        Kr("T.KR2", "T", Increase(0, 10, 6)));

    private static IEnumerable<TestCaseData> ValuesThenRow()
    {
        yield return new TestCaseData((IReadOnlyList<GoalChange>)[new CheckIn("T.KR1", 9), new SetState("T.KR1", GoalState.Archived)])
            .SetName("CheckInThenStateOfTheSameGoal");
        yield return new TestCaseData((IReadOnlyList<GoalChange>)[new CheckIn("T.KR1", 9), new SetState("T", GoalState.Archived)])
            .SetName("CheckInThenStateOfItsParent_AnchoringReachesTheGoal");
        yield return new TestCaseData((IReadOnlyList<GoalChange>)[new SetOverride("T", 0.9), new SetState("T", GoalState.Paused)])
            .SetName("OverrideThenStateOfTheSameGoal");
        yield return new TestCaseData((IReadOnlyList<GoalChange>)[new CheckIn("T.KR2", 1), new RemoveEdge("T.KR2", "T")])
            .SetName("CheckInThenRemovingTheGoalsEdge");
    }

    [TestCaseSource(nameof(ValuesThenRow))]
    public void Simulate_ValuesThenRowOfOneGoal_EqualsApplyingToACopyAndLeavesTheGraphAsItWas(IReadOnlyList<GoalChange> changes)
    {
        var graph = Company();
        var before = graph.Rollup(AsOf);
        var exported = graph.Export();

        var simulated = graph.Simulate(changes, AsOf);

        simulated.Accepted.Should().BeTrue();
        graph.Export().Should().BeEquivalentTo(exported);
        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
        var copy = Company();
        copy.Apply(changes, AsOf).Goals.Should().Equal(simulated.Goals);
        var (goals, _, _) = GraphAssertions.Diff(before, copy.Rollup(AsOf));
        simulated.Goals.Should().Equal(goals, "every delta's before is the value before the change set, not the check-in's");
        copy.ShouldEqualFullRecomputation(AsOf);
    }

    /// <summary>
    /// Y's anchoring alone flips (its row is not saved, its findings not taken); then G, below Y and P, changes level
    /// through P and takes its parents' findings: Y's must be read as they were, anchored, or its orphaning is lost.
    /// </summary>
    [Test]
    public void Simulate_AnchoringFlippedThenTakenByAChildsChange_ReportsTheOrphanAndLeavesTheGraphAsItWas()
    {
        static AlignmentGraph Org() => GraphOf(
            Objective("C1", GoalLevel.Company),
            Objective("C2", GoalLevel.Company),
            Objective("X", GoalLevel.Department, "C2"),
            Objective("Y", null, "X"),
            Objective("P", GoalLevel.Department, "C1"),
            Objective("G", null, "P", "Y"));
        var graph = Org();
        var before = graph.Rollup(AsOf);
        var exported = graph.Export();
        IReadOnlyList<GoalChange> changes =
            [new SetState("C2", GoalState.Archived), new UpsertGoal(Objective("P", GoalLevel.Team, "C1"))];

        var simulated = graph.Simulate(changes, AsOf);

        simulated.Accepted.Should().BeTrue();
        simulated.FindingsAppeared.Codes().Should().Contain(["ORPHANED_GOAL X", "ORPHANED_GOAL Y"]);
        graph.Export().Should().BeEquivalentTo(exported);
        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
        var copy = Org();
        copy.Apply(changes, AsOf).Accepted.Should().BeTrue();
        var (_, appeared, disappeared) = GraphAssertions.Diff(before, copy.Rollup(AsOf));
        simulated.FindingsAppeared.Should().Equal(appeared);
        simulated.FindingsDisappeared.Should().Equal(disappeared);
    }

    [Test]
    public void Apply_RefusedAfterCheckInsAndStateChanges_LeavesEveryValueAsItWas()
    {
        var graph = Company();
        var before = graph.Rollup(AsOf);
        var exported = graph.Export();

        var result = graph.Apply(
            [new CheckIn("T.KR1", 9), new SetOverride("T", 0.1), new SetState("T.KR1", GoalState.Paused), new AddEdge("C", new ParentLink("T.KR1"))],
            AsOf);

        result.Accepted.Should().BeFalse();
        result.FailedOperation.Should().Be(3);
        graph.Export().Should().BeEquivalentTo(exported);
        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
        graph.Result("T.KR1").Progress.Should().Be(0.2);
    }
}
