namespace AlignmentEngine.Grains;

/// <summary>What a watcher that missed changes asks for: those after <paramref name="After"/>, about goals under
/// <paramref name="SubtreeGoalId"/> (all when null).</summary>
[GenerateSerializer, Immutable]
public sealed record WatchRequest(long After, string? SubtreeGoalId);
