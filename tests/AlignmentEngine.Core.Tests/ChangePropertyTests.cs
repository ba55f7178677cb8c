namespace AlignmentEngine.Core.Tests;

/// <summary>
/// Properties of change sets over seeded random trees: incremental state equals a full recomputation, a
/// simulation equals applying to a copy and diffing, and a refused change leaves the graph exactly as it was.
/// Each seed is its own test case, so a failure names the seed that reproduces it.
/// </summary>
public sealed class ChangePropertyTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 15);

    private static IEnumerable<int> Seeds => Enumerable.Range(1, 40);

    [TestCaseSource(nameof(Seeds))]
    public void Apply_RandomChangeSequence_EqualsFullRecomputationAfterEveryChange(int seed)
    {
        var random = new RandomTrees(seed);
        var graph = Trees.Build(random.Tree(60 + (seed * 7)));
        var accepted = 0;
        for (var step = 0; step < 60; step++)
        {
            var changes = random.ChangeSet(graph);
            var before = graph.Rollup(AsOf);
            var exported = graph.Export();
            var result = graph.Apply(changes, AsOf);
            if (!result.Accepted)
            {
                graph.Export().Should().BeEquivalentTo(exported, "a refused change set changes nothing");
                GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
                continue;
            }

            accepted++;
            graph.ShouldEqualFullRecomputation(AsOf);
        }

        accepted.Should().BeGreaterThan(10, "the generator must exercise accepted changes too");
    }

    [TestCaseSource(nameof(Seeds))]
    public void AlignmentCount_RandomChangeSequence_EqualsTheExportedParentLinks(int seed)
    {
        var random = new RandomTrees(seed + 3000);
        var graph = Trees.Build(random.Tree(40 + (seed * 3)));
        for (var step = 0; step < 30; step++)
        {
            graph.Apply(random.ChangeSet(graph), AsOf);
            graph.AlignmentCount.Should().Be(graph.Export().Goals.Sum(g => g.Parents.Count), "after step {0}", step);
        }
    }

    [TestCaseSource(nameof(Seeds))]
    public void Simulate_RandomChangeSet_EqualsApplyingToACopyAndDiffing(int seed)
    {
        var random = new RandomTrees(seed + 1000);
        var graph = Trees.Build(random.Tree(80 + (seed * 5)));
        for (var step = 0; step < 40; step++)
        {
            var changes = random.ChangeSet(graph);
            var before = graph.Rollup(AsOf);
            var simulated = graph.Simulate(changes, AsOf);
            GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);

            var copy = Trees.Build(graph.Export());
            var applied = copy.Apply(changes, AsOf);
            simulated.Accepted.Should().Be(applied.Accepted);
            if (!simulated.Accepted)
            {
                simulated.Errors.Should().Equal(applied.Errors);
                simulated.Missing.Should().Equal(applied.Missing);
                continue;
            }

            var (goals, appeared, disappeared) = GraphAssertions.Diff(before, copy.Rollup(AsOf));
            GraphAssertions.Significant(simulated.Goals).Select(g => g.Id).Should().Equal(goals.Select(g => g.Id), $"step {step}");
            simulated.FindingsAppeared.Should().Equal(appeared, $"step {step}: {string.Join("; ", changes)}");
            simulated.FindingsDisappeared.Should().Equal(disappeared, $"step {step}: {string.Join("; ", changes)}");

            // Move on from the applied state half of the time, so simulations also run on changed graphs.
            if (step % 2 == 0) graph.Apply(changes, AsOf);
        }
    }
}
