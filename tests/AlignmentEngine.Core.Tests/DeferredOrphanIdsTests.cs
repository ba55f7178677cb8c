namespace AlignmentEngine.Core.Tests;

/// <summary>
/// A change result's re-anchored orphans are kept as node indices over the graph's id column as it was (shared, copied
/// by the graph before it next changes an id): read after later changes removed those goals and reused their slots,
/// they still name the goals and parents of the change they describe.
/// </summary>
public sealed class DeferredOrphanIdsTests
{
    private static GoalTree Organisation() => Trees.Tree(
        Trees.Objective("C1", GoalLevel.Company),
        Trees.Objective("D1", GoalLevel.Department, "C1"),
        Trees.Objective("T1", GoalLevel.Team, "D1"),
        Trees.Objective("T2", GoalLevel.Team, "D1"),
        Trees.Objective("P1", GoalLevel.Individual, "T1", "T2"),
        Trees.Kr("P1.K1", "P1", Trees.Increase(0, 5, 1)),
        Trees.Kr("P1.K2", "P1", Trees.Increase(0, 5, 2)));

    [TestCase(false)]
    [TestCase(true)]
    public void Findings_ReadAfterTheirGoalsWereReplaced_NameTheGoalsOfTheChange(bool simulate)
    {
        GoalChange[] archive = [new SetState("D1", GoalState.Archived)];
        var untouched = Trees.Build(Organisation());
        var expected = untouched.Simulate(archive, Trees.AsOf).FindingsAppeared.ToList();
        expected.Should().Contain(f => f.Code == FindingCode.OrphanedGoal && f.Goal == "P1.K2" && f.Message.Contains("'P1'", StringComparison.Ordinal));

        var graph = Trees.Build(Organisation());
        var result = simulate ? graph.Simulate(archive, Trees.AsOf) : graph.Apply(archive, Trees.AsOf);
        graph.Apply(
            [
                new RemoveGoal("P1.K2"),
                new RemoveGoal("P1.K1"),
                new UpsertGoal(Trees.Kr("X.K1", "T2", Trees.Increase(0, 5, 1))),
                new UpsertGoal(Trees.Kr("X.K2", "T2", Trees.Increase(0, 5, 1))),
            ],
            Trees.AsOf).Accepted.Should().BeTrue();
        graph.Contains("P1.K2").Should().BeFalse();

        result.FindingsAppeared.Count.Should().Be(expected.Count);
        result.FindingsAppeared.Should().Equal(expected);
    }
}
