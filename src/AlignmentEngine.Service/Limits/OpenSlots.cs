using System.Collections.Concurrent;
using Grpc.Core;

namespace AlignmentEngine.Service.Limits;

/// <summary>
/// Things that stay open (watch streams, calls in progress), at most <paramref name="max"/> at once per owner (a
/// tenant, an API key): each holds a task and a stream for as long as the client wants, so one owner must not be
/// able to take them all. A slot is held from admission until it is disposed.
/// </summary>
/// <param name="refuse">The RESOURCE_EXHAUSTED for an owner that already holds <paramref name="max"/> slots.</param>
internal sealed class OpenSlots(int max, Func<string, int, RpcException> refuse)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>A slot for one more of <paramref name="owner"/>'s (dispose it when that ends), or the refusal.</summary>
    public IDisposable Enter(string owner)
    {
        while (true)
        {
            var open = _open.GetOrAdd(owner, 0);
            if (open >= max) throw refuse(owner, open);
            if (_open.TryUpdate(owner, open + 1, open)) return new Slot(this, owner);
        }
    }

    private void Leave(string owner)
    {
        // An owner with nothing open is forgotten, so that owners that come and go (client addresses) leave no trace.
        if (_open.AddOrUpdate(owner, 0, (_, open) => open - 1) == 0) _open.TryRemove(KeyValuePair.Create(owner, 0));
    }

    private sealed class Slot(OpenSlots slots, string owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) slots.Leave(owner);
        }
    }
}
