namespace AlignmentEngine.Core;

/// <summary>One goal as a caller or a file states it. Field meanings: semantics.md, "Goals".</summary>
public sealed record GoalDefinition
{
    public GoalDefinition(string id, GoalType type)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        Type = type;
    }

    public string Id { get; }

    public GoalType Type { get; }

    /// <summary>The level set on the goal itself; null means inherited from the primary parent.</summary>
    public GoalLevel? Level { get; init; }

    public string? Title { get; init; }

    public string? Owner { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public GoalState State { get; init; } = GoalState.Active;

    public PeriodRef? Period { get; init; }

    public Metric? Metric { get; init; }

    /// <summary>Progress set by hand, in [0, 1]; wins over the metric and the children.</summary>
    public double? ProgressOverride { get; init; }

    /// <summary>Alignment edges in order: the first is the primary parent.</summary>
    public IReadOnlyList<ParentLink> Parents { get; init; } = [];

    public bool Equals(GoalDefinition? other) =>
        other is not null
        && Id == other.Id && Type == other.Type && Level == other.Level && Title == other.Title
        && Owner == other.Owner && Tags.SequenceEqual(other.Tags) && State == other.State
        && Equals(Period, other.Period) && Equals(Metric, other.Metric)
        && ProgressOverride.Equals(other.ProgressOverride) && Parents.SequenceEqual(other.Parents);

    public override int GetHashCode() => HashCode.Combine(Id, Type, State, Metric);
}
