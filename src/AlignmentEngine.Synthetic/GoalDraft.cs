using AlignmentEngine.Core;

namespace AlignmentEngine.Synthetic;

/// <summary>
/// A goal while the generator is still deciding it: aggregating targets and fallbacks are only known once the
/// goals below are generated, so the generator works on these and freezes them into definitions at the end.
/// </summary>
internal sealed class GoalDraft(string id, GoalType type)
{
    public string Id { get; } = id;

    public GoalType Type { get; } = type;

    public GoalLevel? Level { get; init; }

    public string? Title { get; init; }

    public string? Owner { get; init; }

    public GoalState State { get; set; } = GoalState.Active;

    public string? PeriodName { get; set; }

    public Metric? Metric { get; set; }

    /// <summary>A key result whose progress comes from the goals aligned to it (no metric of its own).</summary>
    public bool RolledUp { get; set; }

    public List<ParentLink> Parents { get; } = [];

    public GoalDefinition Freeze() => new(Id, Type)
    {
        Level = Level,
        Title = Title,
        Owner = Owner,
        State = State,
        Period = PeriodName is null ? null : PeriodRef.Named(PeriodName),
        Metric = Metric,
        Parents = Parents.ToArray(),
    };
}
