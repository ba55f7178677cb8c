using AlignmentEngine.Core;
using AlignmentEngine.Synthetic;

namespace AlignmentEngine.Benchmarks;

/// <summary>The organisations every benchmark runs on: generated with one seed, so all classes see the same data.</summary>
internal static class Fixtures
{
    public const int Seed = 2026;

    public static DateOnly AsOf => OrganisationGenerator.AsOf;

    public static GoalTree Tree(int goals) => OrganisationGenerator.Generate(goals, Seed);

    public static AlignmentGraph Graph(int goals) => Graph(Tree(goals));

    public static AlignmentGraph Graph(GoalTree tree)
    {
        var build = AlignmentGraph.Build(tree);
        return build.Graph ?? throw new InvalidOperationException($"generated tree is invalid: {build.Errors[0]}");
    }

    /// <summary>
    /// Counted key results with an increase metric of their own, at the deepest rank (individuals' key results),
    /// in document order: the goals people check in on.
    /// </summary>
    public static List<GoalDefinition> CheckInTargets(GoalTree tree, AlignmentGraph graph) =>
        [.. tree.Goals.Where(g =>
            g is { Type: GoalType.KeyResult, Metric: { Direction: MetricDirection.Increase, Aggregates: false } }
            && g.State.IsCounted()
            && g.Id.Contains(".P", StringComparison.Ordinal)
            && graph.View.RankOf(g.Id) >= 6)];

    /// <summary>A check-in at a given fraction of the way from start to target.</summary>
    public static CheckIn CheckInAt(GoalDefinition goal, double fraction)
    {
        var m = goal.Metric!;
        return new CheckIn(goal.Id, Math.Round(m.Start + (fraction * (m.Target!.Value - m.Start)), 2));
    }
}
