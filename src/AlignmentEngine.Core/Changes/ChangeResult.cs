namespace AlignmentEngine.Core;

/// <summary>A goal's value and health at one moment, as a change result reports them.</summary>
public readonly record struct GoalSnapshot(double Progress, Health Health);

/// <summary>A goal whose value or health a change moved. Before is null for a new goal, After for a removed one.</summary>
public readonly record struct GoalDelta(string Id, GoalSnapshot? Before, GoalSnapshot? After);

/// <summary>An operation that names a goal or an edge that does not exist.</summary>
/// <param name="OperationIndex">Zero-based position of the operation in the change set.</param>
public sealed record MissingTarget(int OperationIndex, string GoalId, string Message);

/// <summary>
/// What applying (or simulating) a change set did. A rejected change set has <see cref="Accepted"/> false and
/// changed nothing; either <see cref="Missing"/> names what an operation referred to that does not exist, or
/// <see cref="Errors"/> holds the error findings the change would have introduced. The findings that appear and
/// disappear are in the spec's order; their counts are known at once, while the ORPHANED_GOAL findings of goals whose
/// anchoring alone moved are written on the first read of the list (<see cref="DeferredOrphanFindings"/>).
/// </summary>
public sealed record ChangeResult(
    bool Accepted,
    IReadOnlyList<Finding> Errors,
    IReadOnlyList<MissingTarget> Missing,
    IReadOnlyList<GoalDelta> Goals,
    IReadOnlyList<Finding> FindingsAppeared,
    IReadOnlyList<Finding> FindingsDisappeared)
{
    /// <summary>Zero-based position of the operation that was refused, when one was.</summary>
    public int? FailedOperation { get; init; }

    internal static ChangeResult Rejected(int operation, IReadOnlyList<Finding> errors, IReadOnlyList<MissingTarget> missing) =>
        new(false, errors, missing, [], [], []) { FailedOperation = operation };
}
