using System.Diagnostics;
using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// The watchers subscribed to one activation of a tenant's grain, each with the subtree it watches and until when its
/// lease runs, and the version up to which they have been told. After each of the grain's writes it tells them, once,
/// what the tenant committed since (<see cref="Notify"/>). It promises nothing more: a watcher that missed a change
/// (the activation was new and did not know it yet, a message was lost) sees a version jump or a silence and replays
/// from the store's change log. Used by the grain's calls alone, which Orleans runs one turn at a time.
/// </summary>
internal sealed class TenantWatchers(long version)
{
    private readonly Dictionary<ITenantWatcher, (string? Subtree, long Expires)> _subscribed = [];
    private long _told = version;

    /// <summary>Subscribes a watcher, or renews its lease (and the subtree it watches).</summary>
    public void Subscribe(WatchSubscription subscription) =>
        _subscribed[subscription.Watcher] = (subscription.SubtreeGoalId, Stopwatch.GetTimestamp() + (long)(subscription.Lease.TotalSeconds * Stopwatch.Frequency));

    public void Unsubscribe(ITenantWatcher watcher) => _subscribed.Remove(watcher);

    /// <summary>
    /// Tells every subscribed watcher, by a one-way call, the changes <paramref name="tenant"/> committed since the last
    /// time, each cut once per watched subtree. Watchers whose lease ran out are forgotten first.
    /// </summary>
    public void Notify(Tenant tenant)
    {
        var events = tenant.EventsAfter(_told);
        _told = tenant.Version;
        if (events is not { Count: > 0 } || _subscribed.Count == 0) return;
        var now = Stopwatch.GetTimestamp();
        foreach (var expired in _subscribed.Where(s => s.Value.Expires < now).Select(s => s.Key).ToList()) _subscribed.Remove(expired);
        foreach (var group in _subscribed.GroupBy(s => s.Value.Subtree, s => s.Key))
        {
            var batch = new WatchBatch(events[^1].Version, [.. events.Select(e => WatchEvents.Encode(tenant, e, group.Key))]);
            foreach (var watcher in group) _ = watcher.Committed(batch);
        }
    }
}
