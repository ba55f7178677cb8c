using AlignmentEngine.Synthetic;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The engine's full passes the benchmarks measure (and the incremental path is checked against): they must
/// compute what the engine holds, or the ratios in docs/benchmarks.md mean nothing.
/// </summary>
public sealed class FullRecomputationTests
{
    private static readonly DateOnly AsOf = OrganisationGenerator.AsOf;

    [Test]
    public void RecomputeValues_OnABuiltGraph_ChangesNothing()
    {
        var graph = AlignmentGraph.Build(OrganisationGenerator.Generate(3_000, seed: 8)).Graph!;
        var before = graph.Rollup(AsOf);

        graph.RecomputeValues();
        graph.RecomputeEverything();

        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), before);
    }

    [Test]
    public void RollUpAll_AfterCheckInsOnABuiltGraph_EqualsEvaluatingEveryGoal()
    {
        var graph = AlignmentGraph.Build(OrganisationGenerator.Generate(3_000, seed: 9)).Graph!;
        var random = new Random(9);
        var keyResults = graph.AllIds.Where(id => graph.GetDefinition(id)!.Metric is { Aggregates: false, Direction: MetricDirection.Increase }).ToList();
        foreach (var id in keyResults.Where(_ => random.Next(3) == 0))
        {
            var metric = graph.GetDefinition(id)!.Metric!;
            graph.Apply([new CheckIn(id, metric.Start + (random.NextDouble() * (metric.Target!.Value - metric.Start)))], AsOf).Accepted.Should().BeTrue();
        }

        var incremental = graph.Rollup(AsOf);
        graph.RollUpAll();
        var rolledUp = graph.Rollup(AsOf);
        graph.RecomputeValues();

        GraphAssertions.ShouldMatch(rolledUp, incremental);
        GraphAssertions.ShouldMatch(graph.Rollup(AsOf), rolledUp);
    }
}
