namespace AlignmentEngine.Core.Scenarios;

/// <summary>
/// <c>archive-company-objectives</c>: leadership drops a share of the company objectives. Everything aligned
/// only through them becomes orphaned; the report shows how much of the organisation that strands.
/// </summary>
internal sealed class ArchiveCompanyObjectives : PriorityShift
{
    public override string Name => "archive-company-objectives";

    public override string Description => "archive a share of the company objectives (at least one)";

    private protected override IReadOnlyList<GoalChange> Create(AlignmentGraph graph, Random random, double share) =>
        [.. Sample(CompanyObjectives(graph, AnyDate), share, random).Select(id => new SetState(id, GoalState.Archived))];
}
