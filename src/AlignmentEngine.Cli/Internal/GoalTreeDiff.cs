using AlignmentEngine.Core;

namespace AlignmentEngine.Cli.Internal;

/// <summary>A goal whose parents changed: its primary parent, or the set it is aligned to.</summary>
internal sealed record GoalMove(string Id, IReadOnlyList<string> OldParents, IReadOnlyList<string> NewParents);

/// <summary>A goal whose life-cycle state changed (archiving a company objective is the classic priority shift).</summary>
internal sealed record GoalStateChange(string Id, GoalState Old, GoalState New);

/// <summary>A goal whose value or health changed between the two roll-ups.</summary>
internal sealed record GoalValueChange(string Id, GoalResult Old, GoalResult New);

/// <summary>
/// What a change to a goal file does, as a reviewer of the change wants to see it: the goals added, removed and
/// moved, the states, values and health that change, and the findings that appear and disappear. Both versions
/// are evaluated at the same date, so a change of value is the change's doing and not the calendar's.
/// </summary>
internal sealed record GoalTreeDiff(
    EvaluatedTree Old,
    EvaluatedTree New,
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<GoalMove> Moved,
    IReadOnlyList<GoalStateChange> StateChanged,
    IReadOnlyList<GoalValueChange> ValueChanged,
    IReadOnlyList<Finding> Appeared,
    IReadOnlyList<Finding> Disappeared)
{
    /// <summary>
    /// Values closer than this are equal: the engine is deterministic, but summing the same children in another
    /// document order may differ in the last bit, which is no change to a reader (the spec's tolerance is 1e-9).
    /// </summary>
    private const double Tolerance = 1e-9;

    public bool IsEmpty =>
        Added.Count == 0 && Removed.Count == 0 && Moved.Count == 0 && StateChanged.Count == 0 && ValueChanged.Count == 0
        && Appeared.Count == 0 && Disappeared.Count == 0;

    public static GoalTreeDiff Compare(EvaluatedTree old, EvaluatedTree @new)
    {
        if (old.AsOf != @new.AsOf) throw new ArgumentException("Both versions must be evaluated at the same date.", nameof(@new));
        var added = @new.Goals.Where(g => !old.Contains(g.Id)).Select(g => g.Id).Order(StringComparer.Ordinal).ToArray();
        var removed = old.Goals.Where(g => !@new.Contains(g.Id)).Select(g => g.Id).Order(StringComparer.Ordinal).ToArray();
        var moved = new List<GoalMove>();
        var states = new List<GoalStateChange>();
        foreach (var goal in @new.Goals.OrderBy(g => g.Id, StringComparer.Ordinal))
        {
            if (old.DefinitionOf(goal.Id) is not { } before) continue;
            var (oldParents, newParents) = (Parents(before), Parents(goal));
            var primaryChanged = oldParents.FirstOrDefault() != newParents.FirstOrDefault();
            if (primaryChanged || !oldParents.ToHashSet(StringComparer.Ordinal).SetEquals(newParents)) moved.Add(new GoalMove(goal.Id, oldParents, newParents));
            if (before.State != goal.State) states.Add(new GoalStateChange(goal.Id, before.State, goal.State));
        }

        var values = new List<GoalValueChange>();
        foreach (var result in @new.Report.Goals)
        {
            if (old.ResultOf(result.Id) is not { } before) continue;
            if (before.Health != result.Health || Math.Abs(before.Progress - result.Progress) > Tolerance)
            {
                values.Add(new GoalValueChange(result.Id, before, result));
            }
        }

        return new GoalTreeDiff(old, @new, added, removed, moved, states, values,
            Subtract(@new.Report.Findings, old.Report.Findings), Subtract(old.Report.Findings, @new.Report.Findings));
    }

    private static string[] Parents(GoalDefinition goal) => [.. goal.Parents.Select(p => p.ParentId)];

    /// <summary>
    /// The findings of <paramref name="from"/> not matched in <paramref name="take"/>, counted as a multiset (a
    /// repeated id gives equal DUPLICATE_ID findings), in <paramref name="from"/>'s order, which is the spec's.
    /// Findings are equal on code, goal and related; the message's wording is no change.
    /// </summary>
    private static Finding[] Subtract(IReadOnlyList<Finding> from, IReadOnlyList<Finding> take)
    {
        var counts = new Dictionary<Finding, int>();
        foreach (var finding in take) counts[finding] = counts.GetValueOrDefault(finding) + 1;
        var left = new List<Finding>();
        foreach (var finding in from)
        {
            if (counts.TryGetValue(finding, out var count) && count > 0) counts[finding] = count - 1;
            else left.Add(finding);
        }

        return [.. left];
    }
}
