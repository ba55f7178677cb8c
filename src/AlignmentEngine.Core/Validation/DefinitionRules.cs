using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core.Validation;

/// <summary>
/// The error rules that one goal definition can break on its own (metric, override, weights, period,
/// repeated parents), shared by whole-tree validation and by change sets, with the findings' wording.
/// </summary>
internal static class DefinitionRules
{
    public static void Check(GoalDefinition goal, IReadOnlyDictionary<string, Period> periods, List<Finding> errors)
    {
        if (MetricRules.Problem(goal.Metric, goal.ProgressOverride) is { } metricProblem)
        {
            errors.Add(new Finding(FindingCode.InvalidMetric, goal.Id, [], $"goal '{goal.Id}': {metricProblem}"));
        }

        if (goal.Period is { } period && PeriodProblem(period, periods) is { } periodProblem)
        {
            errors.Add(new Finding(FindingCode.InvalidPeriod, goal.Id, [], $"goal '{goal.Id}': {periodProblem}"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in goal.Parents)
        {
            if (!seen.Add(link.ParentId) && repeated.Add(link.ParentId))
            {
                errors.Add(DuplicateAlignment(goal.Id, link.ParentId));
            }

            if (MetricRules.WeightProblem(link.Weight) is { } weightProblem)
            {
                errors.Add(InvalidWeight(goal.Id, link.ParentId, weightProblem));
            }
        }
    }

    public static string? PeriodProblem(PeriodRef period, IReadOnlyDictionary<string, Period> periods)
    {
        if (period.Name is { } name)
        {
            return periods.ContainsKey(name) ? null : $"period '{name}' is not declared under periods";
        }

        var range = period.Range!.Value;
        return range.IsValid ? null : $"the period ends ({range.End:yyyy-MM-dd}) before it starts ({range.Start:yyyy-MM-dd})";
    }

    public static Finding UnknownParent(string goal, string parent) =>
        new(FindingCode.UnknownParent, goal, [parent], $"goal '{goal}' is aligned to '{parent}', which does not exist");

    public static Finding DuplicateAlignment(string goal, string parent) =>
        new(FindingCode.DuplicateAlignment, goal, [parent], $"goal '{goal}' lists parent '{parent}' more than once");

    public static Finding InvalidWeight(string goal, string parent, string problem) =>
        new(FindingCode.InvalidWeight, goal, [parent], $"goal '{goal}', edge to '{parent}': {problem}");

    /// <param name="sortedIds">The goals of the cycle, sorted by id.</param>
    public static Finding Cycle(IReadOnlyList<string> sortedIds) =>
        new(FindingCode.AlignmentCycle, sortedIds[0], [.. sortedIds.Skip(1)],
            sortedIds.Count == 1
                ? $"goal '{sortedIds[0]}' is aligned to itself"
                : $"goals {string.Join(" → ", sortedIds)} are aligned in a cycle: each reaches the others through its parents");
}
