namespace AlignmentEngine.Core;

/// <summary>A goal's value and health at one moment, as a change result reports them.</summary>
public readonly record struct GoalSnapshot(double Progress, Health Health);

/// <summary>A goal whose value or health a change moved. Before is null for a new goal, After for a removed one.</summary>
public sealed record GoalDelta(string Id, GoalSnapshot? Before, GoalSnapshot? After);

/// <summary>
/// What applying (or simulating) a change set did. A rejected change set has <see cref="Accepted"/> false, the
/// errors that say why, and changed nothing.
/// </summary>
public sealed record ChangeResult(
    bool Accepted,
    IReadOnlyList<Finding> Errors,
    IReadOnlyList<GoalDelta> Goals,
    IReadOnlyList<Finding> FindingsAppeared,
    IReadOnlyList<Finding> FindingsDisappeared)
{
    public static ChangeResult Rejected(IReadOnlyList<Finding> errors) => new(false, errors, [], [], []);
}
