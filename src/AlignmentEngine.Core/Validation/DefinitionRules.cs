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

        for (var k = 0; k < goal.Parents.Count; k++)
        {
            var link = goal.Parents[k];

            // One finding per repeated parent: at its second listing, not at a third.
            if (AppearsBefore(goal.Parents, k) && Occurrences(goal.Parents, link.ParentId, k) == 1)
            {
                errors.Add(DuplicateAlignment(goal.Id, link.ParentId));
            }

            if (MetricRules.WeightProblem(link.Weight) is { } weightProblem)
            {
                errors.Add(InvalidWeight(goal.Id, link.ParentId, weightProblem));
            }
        }
    }

    /// <summary>Whether the parent at <paramref name="k"/> is listed earlier too (lists are short: a scan beats a set).</summary>
    public static bool AppearsBefore(IReadOnlyList<ParentLink> links, int k) => Occurrences(links, links[k].ParentId, k) > 0;

    private static int Occurrences(IReadOnlyList<ParentLink> links, string parent, int before)
    {
        var count = 0;
        for (var i = 0; i < before; i++)
        {
            if (links[i].ParentId == parent) count++;
        }

        return count;
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
