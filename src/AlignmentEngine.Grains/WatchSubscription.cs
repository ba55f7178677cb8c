namespace AlignmentEngine.Grains;

/// <summary>
/// A watcher subscribing to a tenant's changes about goals under <paramref name="SubtreeGoalId"/> (all when null), for
/// <paramref name="Lease"/>: the grain forgets a subscription not renewed within it, so a watcher that went away
/// without a word (its silo died) costs nothing for long.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WatchSubscription(ITenantWatcher Watcher, string? SubtreeGoalId, TimeSpan Lease);
