namespace AlignmentEngine.Core;

/// <summary>The one-shot path of the command line and ValidateTree: a whole tree in, a roll-up report out.</summary>
public static class TreeEvaluator
{
    /// <summary>
    /// Validates <paramref name="tree"/> and, when it has no error, rolls it up at <paramref name="asOf"/>.
    /// An invalid tree gives <c>Valid = false</c>, no goals and its errors (warnings are omitted, as the spec allows).
    /// </summary>
    public static RollupReport Evaluate(GoalTree tree, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var build = AlignmentGraph.Build(tree);
        return build.Graph is { } graph
            ? graph.Rollup(asOf)
            : new RollupReport(asOf, false, [], build.Errors);
    }
}
