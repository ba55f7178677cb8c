using static AlignmentEngine.Core.Tests.Trees;

namespace AlignmentEngine.Core.Tests;

/// <summary>Extreme shapes must work without recursion limits: every traversal of the core is iterative.</summary>
public sealed class GraphShapeTests
{
    private const int Size = 100_000;

    [Test]
    public void DeepChain_BuildCheckInAndCycle_WorkAtOneHundredThousandLevels()
    {
        var goals = new List<GoalDefinition>(Size) { Objective("N0", GoalLevel.Company) };
        for (var i = 1; i < Size - 1; i++) goals.Add(Objective($"N{i}", null, $"N{i - 1}"));
        goals.Add(Kr($"N{Size - 1}", $"N{Size - 2}", Increase(0, 10, 0)));
        var graph = GraphOf([.. goals]);

        var result = graph.Apply([new CheckIn($"N{Size - 1}", 5)], AsOf);

        result.Accepted.Should().BeTrue();
        graph.Result("N0").Progress.Should().Be(0.5, "the check-in reaches the root through every level");
        result.Goals.Should().HaveCount(Size);
        graph.Analyze(AsOf).Should().BeEmpty();

        var cycle = graph.Apply([new AddEdge("N0", new ParentLink($"N{Size - 1}"))], AsOf);
        cycle.Accepted.Should().BeFalse();
        cycle.Errors.Single().Code.Should().Be(FindingCode.AlignmentCycle);
        cycle.Errors.Single().Related.Should().HaveCount(Size - 1);
        TreeEvaluator.Evaluate(Tree([.. goals.Skip(1), goals[0] with { Parents = [new ParentLink($"N{Size - 1}")] }]), AsOf)
            .Findings.Single().Code.Should().Be(FindingCode.AlignmentCycle);
    }

    [Test]
    public void WideFanOut_BuildArchiveAndCheckIn_WorkWithOneHundredThousandChildren()
    {
        var goals = new List<GoalDefinition>(Size + 1) { Objective("ROOT", GoalLevel.Company) };
        for (var i = 0; i < Size; i++) goals.Add(Kr($"K{i:D6}", "ROOT", Increase(0, 4, i % 5)));
        var graph = GraphOf([.. goals]);
        graph.Result("ROOT").Progress.Should().BeApproximately(0.5, 1e-9);

        var archive = graph.Simulate([new SetState("ROOT", GoalState.Archived)], AsOf);

        archive.FindingsAppeared.Count(f => f.Code == FindingCode.OrphanedGoal).Should().Be(Size);
        archive.FindingsAppeared.Count(f => f.Code == FindingCode.ExcludedParent).Should().Be(Size);
        graph.Analyze(AsOf).Should().BeEmpty("a simulation leaves the graph untouched");

        graph.Apply([new CheckIn("K000000", 4)], AsOf).Goals.Select(g => g.Id).Should().Equal("K000000", "ROOT");
    }
}
