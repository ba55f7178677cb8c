namespace AlignmentEngine.Core.Tests;

/// <summary>Short constructors for goal trees written in tests.</summary>
internal static class Trees
{
    public static readonly DateOnly AsOf = new(2026, 11, 15);
    public static readonly Period Q4 = new(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31));

    public static GoalDefinition Objective(string id, GoalLevel? level = null, params string[] parents) =>
        new(id, GoalType.Objective) { Level = level, Parents = [.. parents.Select(p => new ParentLink(p))] };

    public static GoalDefinition Kr(string id, string parent, Metric? metric = null) =>
        new(id, GoalType.KeyResult) { Parents = [new ParentLink(parent)], Metric = metric };

    public static Metric Increase(double start, double target, double? current = null, string? unit = null, string? key = null) =>
        new(MetricDirection.Increase, start, target, current, unit, key);

    public static GoalTree Tree(params GoalDefinition[] goals) => new() { Goals = goals, DefaultPeriod = PeriodRef.Of(Q4) };

    public static AlignmentGraph GraphOf(params GoalDefinition[] goals) => Build(Tree(goals));

    public static AlignmentGraph Build(GoalTree tree)
    {
        var build = AlignmentGraph.Build(tree);
        build.Errors.Should().BeEmpty();
        return build.Graph!;
    }

    public static GoalResult Result(this AlignmentGraph graph, string id) => graph.GetResult(id, AsOf)!;

    public static IEnumerable<string> Codes(this IEnumerable<Finding> findings) =>
        findings.Select(f => $"{f.Code.Name()} {f.Goal}" + (f.Related.Count > 0 ? $" [{string.Join(",", f.Related)}]" : ""));
}
