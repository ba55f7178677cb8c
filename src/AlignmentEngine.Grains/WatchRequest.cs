namespace AlignmentEngine.Grains;

/// <summary>What a watcher asks for: the changes after <paramref name="After"/>, those about goals under
/// <paramref name="SubtreeGoalId"/> (all when null), waiting up to <paramref name="Wait"/> for the next one.</summary>
[GenerateSerializer, Immutable]
public sealed record WatchRequest(long After, string? SubtreeGoalId, TimeSpan Wait);
