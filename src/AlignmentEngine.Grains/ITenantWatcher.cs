using Orleans.Concurrency;

namespace AlignmentEngine.Grains;

/// <summary>
/// A front's watch on a tenant (a grain observer): the tenant's grain tells it each change it commits. A one-way call:
/// the grain neither waits for a watcher nor learns that one went away, and a change it fails to deliver (a lost
/// message, a watcher whose silo died, an activation that never had the subscription) is what the watcher's replay from
/// the store's change log makes up for.
/// </summary>
public interface ITenantWatcher : IGrainObserver
{
    /// <summary>Changes the tenant committed, each cut to the watcher's subtree, in version order.</summary>
    [OneWay]
    Task Committed(WatchBatch batch);
}
