using AlignmentEngine.Core;

namespace AlignmentEngine.Storage.Internal;

/// <summary>One row of the change log.</summary>
internal sealed class LogRow
{
    public const string Changes = "changes";
    public const string Snapshot = "snapshot";
    public const string Select = "version AS Version, kind AS Kind, committed_at AS CommittedAt, as_of AS AsOf, body AS Body";

    public long Version { get; set; }
    public string Kind { get; set; } = string.Empty;
    public long CommittedAt { get; set; }
    public long AsOf { get; set; }
    public string? Body { get; set; }

    public LogEntry ToEntry(GoalTree? tree) => new(
        Version,
        Instants.FromStored(CommittedAt),
        DateOnly.FromDayNumber(checked((int)AsOf)),
        Kind == Changes ? ChangeJson.Read(Body!) : null,
        tree);
}
