namespace AlignmentEngine.Core.Validation;

/// <summary>
/// The error findings of a whole document (the first table rows of semantics.md, "Findings"). A tree with none
/// of them can be built into a graph; the goals it keeps are the first of each id, in document order.
/// </summary>
internal static class TreeValidator
{
    public static List<Finding> Validate(GoalTree tree, out List<GoalDefinition> kept)
    {
        var errors = new List<Finding>();
        kept = new List<GoalDefinition>(tree.Goals.Count);
        var byId = new Dictionary<string, int>(tree.Goals.Count, StringComparer.Ordinal);
        foreach (var goal in tree.Goals)
        {
            if (byId.TryAdd(goal.Id, kept.Count))
            {
                kept.Add(goal);
            }
            else
            {
                errors.Add(new Finding(FindingCode.DuplicateId, goal.Id, [],
                    $"goal id '{goal.Id}' is used again; this repeat is ignored: give it an id of its own"));
            }
        }

        CheckDocumentPeriods(tree, errors);
        foreach (var goal in kept)
        {
            DefinitionRules.Check(goal, tree.Periods, errors);
            foreach (var parent in goal.Parents.Select(p => p.ParentId).Distinct(StringComparer.Ordinal))
            {
                if (!byId.ContainsKey(parent))
                {
                    errors.Add(DefinitionRules.UnknownParent(goal.Id, parent));
                }
            }
        }

        FindCycles(kept, byId, errors);
        return errors;
    }

    private static void CheckDocumentPeriods(GoalTree tree, List<Finding> errors)
    {
        foreach (var (name, period) in tree.Periods.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!period.IsValid)
            {
                errors.Add(new Finding(FindingCode.InvalidPeriod, string.Empty, [],
                    $"period '{name}' ends ({period.End:yyyy-MM-dd}) before it starts ({period.Start:yyyy-MM-dd})"));
            }
        }

        if (tree.DefaultPeriod is { } d && DefinitionRules.PeriodProblem(d, tree.Periods) is { } problem)
        {
            errors.Add(new Finding(FindingCode.InvalidPeriod, string.Empty, [], $"the document's default period: {problem}"));
        }
    }

    private static void FindCycles(List<GoalDefinition> kept, Dictionary<string, int> byId, List<Finding> errors)
    {
        var parents = new int[kept.Count][];
        for (var i = 0; i < kept.Count; i++)
        {
            parents[i] = kept[i].Parents
                .Select(p => byId.TryGetValue(p.ParentId, out var j) ? j : -1)
                .Where(j => j >= 0)
                .Distinct()
                .ToArray();
        }

        foreach (var cycle in CycleFinder.FindCycles(kept.Count, i => parents[i]))
        {
            var ids = cycle.Select(i => kept[i].Id).Order(StringComparer.Ordinal).ToArray();
            errors.Add(DefinitionRules.Cycle(ids));
        }
    }
}
