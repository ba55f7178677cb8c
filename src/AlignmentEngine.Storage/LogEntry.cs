using AlignmentEngine.Core;

namespace AlignmentEngine.Storage;

/// <summary>
/// One committed version of a tenant: either a change set (<see cref="Changes"/>) or a snapshot (an import; its
/// <see cref="Tree"/> is there when the reader asked for it).
/// </summary>
public sealed record LogEntry(
    long Version,
    DateTimeOffset CommittedAt,
    DateOnly AsOf,
    IReadOnlyList<GoalChange>? Changes,
    GoalTree? Tree)
{
    public bool IsSnapshot => Changes is null;
}
