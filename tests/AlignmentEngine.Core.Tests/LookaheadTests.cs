namespace AlignmentEngine.Core.Tests;

/// <summary>
/// A change set long enough for the cache hints of its operations, of its upward wave's ranks and of its deltas
/// (AlignmentGraph.Lookahead.cs), with operations of every kind among its check-ins and a goal added halfway (so the id
/// index changes under the hints): simulated it leaves the graph as it was and says what applying it to a copy does;
/// applied it equals a full recomputation.
/// </summary>
public sealed class LookaheadTests
{
    private static readonly DateOnly AsOf = Synthetic.OrganisationGenerator.AsOf;

    [Test]
    public void ManyMixedOperations_SimulatedAndApplied_EqualApplyingToACopyAndAFullRecomputation()
    {
        var tree = Synthetic.OrganisationGenerator.Generate(3_000, seed: 8);
        var graph = Trees.Build(tree);
        var targets = tree.Goals
            .Where(g => g.Metric is { Aggregates: false, Direction: MetricDirection.Increase } && g.State.IsCounted())
            .ToList();
        var changes = new List<GoalChange>();
        for (var k = 0; k < targets.Count; k++)
        {
            var goal = targets[k];
            changes.Add(k % 10 == 3 ? new SetOverride(goal.Id, 0.25) : new CheckIn(goal.Id, goal.Metric!.Target!.Value * 0.7));
            if (k == targets.Count / 2)
            {
                changes.Add(new UpsertGoal(Trees.Kr(goal.Id + ".added", goal.Parents[0].ParentId, Trees.Increase(0, 10))));
                changes.Add(new CheckIn(goal.Id + ".added", 4));
            }

            if (k == targets.Count / 3) changes.Add(new SetState(goal.Parents[0].ParentId, GoalState.Archived));
        }

        changes.Count.Should().BeGreaterThan(256, "a change set far longer than the hints reach");
        var before = graph.Rollup(AsOf);
        var copy = Trees.Build(graph.Export());

        var simulated = graph.Simulate(changes, AsOf);
        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
        var applied = copy.Apply(changes, AsOf);
        simulated.Accepted.Should().BeTrue();
        applied.Accepted.Should().BeTrue();
        var (goals, appeared, disappeared) = GraphAssertions.Diff(before, copy.Rollup(AsOf));
        GraphAssertions.Significant(simulated.Goals).Select(g => g.Id).Should().Equal(goals.Select(g => g.Id));
        simulated.FindingsAppeared.Should().Equal(appeared);
        simulated.FindingsDisappeared.Should().Equal(disappeared);

        graph.Apply(changes, AsOf).Accepted.Should().BeTrue();
        graph.ShouldEqualFullRecomputation(AsOf);
    }
}
