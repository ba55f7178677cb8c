using System.Collections.Concurrent;

namespace AlignmentEngine.Service.Limits;

/// <summary>
/// Open WatchRollups streams per tenant, bounded: each holds a task and a socket for as long as the client wants,
/// so one tenant must not be able to take them all. A slot is held from admission until the stream ends.
/// </summary>
internal sealed class WatcherLimit(int maxPerTenant)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A slot for one more watcher of <paramref name="tenant"/> (dispose it when the stream ends), or RESOURCE_EXHAUSTED.</summary>
    public IDisposable Enter(string tenant)
    {
        while (true)
        {
            var open = _open.GetOrAdd(tenant, 0);
            if (open >= maxPerTenant)
            {
                throw ServiceErrors.ResourceExhausted("max_watchers_per_tenant",
                    $"tenant '{tenant}' already has {open} open WatchRollups streams; the limit (max_watchers_per_tenant) is {maxPerTenant}");
            }

            if (_open.TryUpdate(tenant, open + 1, open)) return new Slot(this, tenant);
        }
    }

    private void Leave(string tenant) => _open.AddOrUpdate(tenant, 0, (_, open) => open - 1);

    private sealed class Slot(WatcherLimit limit, string tenant) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) limit.Leave(tenant);
        }
    }
}
