namespace AlignmentEngine.Core.Tests;

/// <summary>
/// A flip of anchoring alone passed down single-parent branches without the rank queue: what it leaves equals a full
/// recomputation, including a goal with several parents below the branch and a goal of the branch that changes itself
/// in the same change set; and a simulation undoes it exactly.
/// </summary>
public sealed class AnchoringWaveTests
{
    private static GoalTree Organisation() => Trees.Tree(
        Trees.Objective("C1", GoalLevel.Company),
        Trees.Objective("C2", GoalLevel.Company),
        Trees.Objective("D1", GoalLevel.Department, "C1"),
        Trees.Objective("T1", GoalLevel.Team, "D1"),
        Trees.Objective("T2", GoalLevel.Team, "D1"),
        Trees.Kr("T1.K1", "T1", Trees.Increase(0, 10, 4)),
        Trees.Kr("T2.K1", "T2", Trees.Increase(0, 10, 6)),
        Trees.Objective("P1", GoalLevel.Individual, "T1", "T2"),
        Trees.Objective("P2", GoalLevel.Individual, "T2", "C2"),
        Trees.Kr("P1.K1", "P1", Trees.Increase(0, 5, 1)),
        Trees.Kr("P2.K1", "P2", Trees.Increase(0, 5, 2)));

    private static IEnumerable<GoalChange[]> ChangeSets =>
    [
        [new SetState("C1", GoalState.Archived)],
        [new SetState("D1", GoalState.Paused)],
        [new SetState("C1", GoalState.Archived), new SetState("T2", GoalState.Draft)],
        [new SetState("C1", GoalState.Archived), new UpsertGoal(Trees.Objective("T1", GoalLevel.Team, "D1") with { Period = PeriodRef.Of(new Period(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30))) })],
    ];

    [TestCaseSource(nameof(ChangeSets))]
    public void Apply_AFlipOfAnchoringDownABranch_EqualsAFullRecomputationBothWays(GoalChange[] changes)
    {
        var graph = Trees.Build(Organisation());

        graph.Apply(changes, Trees.AsOf).Accepted.Should().BeTrue();
        graph.ShouldEqualFullRecomputation(Trees.AsOf);
        if (changes[0].GoalId == "C1") graph.Analyze(Trees.AsOf).Count(f => f.Code == FindingCode.OrphanedGoal).Should().BePositive("the branch lost its anchor");

        graph.Apply([new SetState(changes[0].GoalId, GoalState.Active)], Trees.AsOf).Accepted.Should().BeTrue();
        graph.ShouldEqualFullRecomputation(Trees.AsOf);
    }

    [TestCaseSource(nameof(ChangeSets))]
    public void Simulate_AFlipOfAnchoringDownABranch_EqualsApplyingToACopyAndLeavesTheGraphAsItWas(GoalChange[] changes)
    {
        var graph = Trees.Build(Organisation());
        var before = graph.Rollup(Trees.AsOf);

        var simulated = graph.Simulate(changes, Trees.AsOf);

        GraphAssertions.ShouldMatch(graph.Rollup(Trees.AsOf), before);
        var copy = Trees.Build(graph.Export());
        copy.Apply(changes, Trees.AsOf);
        var (goals, appeared, disappeared) = GraphAssertions.Diff(before, copy.Rollup(Trees.AsOf));
        GraphAssertions.Significant(simulated.Goals).Select(g => g.Id).Should().Equal(goals.Select(g => g.Id));
        simulated.FindingsAppeared.Should().Equal(appeared);
        simulated.FindingsDisappeared.Should().Equal(disappeared);
    }
}
