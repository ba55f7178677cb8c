using AlignmentEngine.Core.Synthetic;

namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The measurement hooks the benchmarks compare against: they must compute what the engine computes, or the
/// ratios in docs/benchmarks.md mean nothing.
/// </summary>
public sealed class AlignmentGraphBaselineTests
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

    [Test]
    public void PackedRollupPass_AfterCheckIns_GivesTheEngineValuesExactly()
    {
        var graph = AlignmentGraph.Build(OrganisationGenerator.Generate(3_000, seed: 8)).Graph!;
        graph.Apply([new CheckIn("D1.T1.P1.KR2", 1), new SetState("D2", GoalState.Archived)], AsOf).Accepted.Should().BeTrue();
        var layout = graph.PackForRollup();
        Array.Fill(layout.Values, 0.5, 0, layout.Values.Length);
        for (var i = 0; i < graph.NodeSlots; i++)
        {
            if (layout.Kind[i] == AlignmentGraph.PackedLayout.Kept) layout.Values[i] = graph.ValueOf(i);
        }

        AlignmentGraph.PackedRollupPass(layout);

        for (var i = 0; i < graph.NodeSlots; i++) layout.Values[i].Should().Be(graph.ValueOf(i), $"node {i}");
    }

    [Test]
    public void PlainWeightedPass_OnAChain_IsTheWeightedMean()
    {
        var graph = Trees.GraphOf(
            Trees.Objective("C1", GoalLevel.Company),
            new GoalDefinition("A", GoalType.KeyResult) { Parents = [new ParentLink("C1", 3)], ProgressOverride = 1 },
            new GoalDefinition("B", GoalType.KeyResult) { Parents = [new ParentLink("C1", 1)], ProgressOverride = 0 });

        var top = graph.PlainWeightedPass(new double[graph.NodeSlots]);

        top.Should().Be(0.75);
    }
}
