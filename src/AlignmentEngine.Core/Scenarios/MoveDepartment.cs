namespace AlignmentEngine.Core.Scenarios;

/// <summary>
/// <c>move-department</c>: a reorganisation moves one department objective under another company key result.
/// Its primary parent is replaced (its other alignments stay), so the value it carries moves from one company
/// objective to another.
/// </summary>
internal sealed class MoveDepartment : PriorityShift
{
    public override string Name => "move-department";

    public override string Description => "re-parent one department objective under another company key result";

    private protected override IReadOnlyList<GoalChange> Create(AlignmentGraph graph, Random random, double share)
    {
        var companyObjectives = CompanyObjectives(graph, AnyDate);
        var companyKrs = new List<string>();
        foreach (var objective in companyObjectives)
        {
            companyKrs.AddRange(graph.ChildrenOf(objective).Where(id =>
                graph.GetDefinition(id) is { Type: GoalType.KeyResult } kr && kr.State.IsCounted() && kr.Parents[0].ParentId == objective));
        }

        var departments = graph.AllIds
            .Select(graph.GetDefinition)
            .Where(g => g is { Type: GoalType.Objective, Level: GoalLevel.Department, Parents.Count: > 0 } && g.State.IsCounted())
            .ToList();
        if (departments.Count == 0 || companyKrs.Count < 2) return [];

        var department = departments[random.Next(departments.Count)]!;
        var current = department.Parents[0].ParentId;
        var targets = companyKrs.Where(id => id != current).ToList();
        var target = targets[random.Next(targets.Count)];
        ParentLink[] parents = [department.Parents[0] with { ParentId = target }, .. department.Parents.Skip(1).Where(l => l.ParentId != target)];
        return [new UpsertGoal(department with { Parents = parents })];
    }
}
