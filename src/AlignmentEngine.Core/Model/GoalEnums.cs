namespace AlignmentEngine.Core;

/// <summary>What a goal is: an objective, or a key result that measures one.</summary>
/// <remarks>One byte: the graph keeps one per goal (a million goals: 3 MB less than int-sized).</remarks>
public enum GoalType : byte
{
    Objective,
    KeyResult,
}

/// <summary>Organisational level. The numeric value is the spec's rank: company 0 ranks above individual 3.</summary>
public enum GoalLevel
{
    Company = 0,
    Department = 1,
    Team = 2,
    Individual = 3,
}

/// <summary>Life-cycle state. Active, paused and completed goals are counted; the rest are excluded.</summary>
/// <remarks>One byte, like <see cref="GoalType"/>: the graph keeps one per goal.</remarks>
public enum GoalState : byte
{
    Draft,
    Active,
    Paused,
    Completed,
    Archived,
    Cancelled,
}

/// <summary>How a metric's current value turns into progress (semantics.md, "Progress of one goal").</summary>
public enum MetricDirection
{
    Increase,
    Decrease,
    AtLeast,
    AtMost,
    Milestone,
}

/// <summary>Whether a metric takes its current value from check-ins or from the sum of its children.</summary>
public enum MetricAggregate
{
    None,
    Sum,
}

/// <summary>Where a goal stands against the pace its period expects.</summary>
public enum Health
{
    Inactive,
    NoPeriod,
    NotStarted,
    Achieved,
    OnTrack,
    AtRisk,
    OffTrack,
}

/// <summary>Finding severities, in the order results are sorted (errors first).</summary>
public enum Severity
{
    Error = 0,
    Warning = 1,
    Info = 2,
}

public static class GoalStates
{
    /// <summary>Counted goals contribute to their parents and can be orphans; excluded ones cannot.</summary>
    public static bool IsCounted(this GoalState state) =>
        state is GoalState.Active or GoalState.Paused or GoalState.Completed;
}
