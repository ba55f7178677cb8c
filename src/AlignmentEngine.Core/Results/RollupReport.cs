namespace AlignmentEngine.Core;

/// <summary>
/// The answer to "roll this tree up at this date": every goal sorted by id, and the findings in the spec's
/// order. On an invalid tree <see cref="Goals"/> is empty and <see cref="Findings"/> holds the errors.
/// </summary>
public sealed record RollupReport(
    DateOnly AsOf,
    bool Valid,
    IReadOnlyList<GoalResult> Goals,
    IReadOnlyList<Finding> Findings);
