namespace AlignmentEngine.Core;

/// <summary>Where a goal's value comes from (semantics.md, "Progress of one goal", in rule order).</summary>
public enum ValueSource
{
    Override,
    Metric,
    Sum,
    Children,
}

/// <summary>One child's part in its parent's value.</summary>
/// <param name="Share">
/// The child's part of the parent's value: weight × progress ÷ Σ weights under a weighted mean, the child's
/// effective current ÷ the sum under an aggregating parent; 0 when it does not count toward the parent.
/// </param>
public sealed record Contribution(GoalResult Child, double Weight, bool Contributes, double Share);

/// <summary>A goal's roll-up explained: its result, where the value comes from, and each child's part.</summary>
public sealed record RollupBreakdown(GoalResult Goal, ValueSource Source, IReadOnlyList<Contribution> Contributions);

/// <summary>How many counted goals are anchored.</summary>
public readonly record struct CoverageFigures(int Counted, int Anchored)
{
    public double Ratio => Counted == 0 ? 1 : (double)Anchored / Counted;
}

/// <summary>Anchoring coverage: overall, per resolved level (null: no level) and per owner (goals with one).</summary>
public sealed record CoverageReport(
    CoverageFigures Overall,
    IReadOnlyList<(GoalLevel? Level, CoverageFigures Figures)> Levels,
    IReadOnlyList<(string Owner, CoverageFigures Figures)> Owners);
