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
            for (var k = 0; k < goal.Parents.Count; k++)
            {
                var parent = goal.Parents[k].ParentId;
                if (!byId.ContainsKey(parent) && !DefinitionRules.AppearsBefore(goal.Parents, k))
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
        var known = new List<int>();
        for (var i = 0; i < kept.Count; i++)
        {
            known.Clear();
            foreach (var link in kept[i].Parents)
            {
                if (byId.TryGetValue(link.ParentId, out var j)) known.Add(j);
            }

            parents[i] = [.. known];
        }

        foreach (var cycle in CycleFinder.FindCycles(kept.Count, parents))
        {
            var ids = cycle.Select(i => kept[i].Id).Order(StringComparer.Ordinal).ToArray();
            errors.Add(DefinitionRules.Cycle(ids));
        }
    }
}
