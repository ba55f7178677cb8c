namespace AlignmentEngine.Storage;

/// <summary>One committed check-in: the version that committed it, the value and what the client said about it.</summary>
public sealed record StoredCheckIn(long Version, string GoalId, double Value, DateTimeOffset? At, double? Confidence, DateTimeOffset CommittedAt);
