using System.Threading.Channels;
using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// One open watch's side of its subscription (a grain observer): the batches the tenant's grain pushes, queued for the
/// watch to send. The queue is bounded and a batch that finds it full is dropped (counted in <c>okr.watch.overflows</c>),
/// so the front never holds every change for a client that reads slowly or not at all. The latest version dropped is
/// kept (<see cref="Dropped"/>): the watch replays up to it from the grain (its memory, or the store's change log) as
/// soon as its client takes what it was sent, without waiting for another push or for its renewal.
/// </summary>
internal sealed class WatchInbox(string tenant) : ITenantWatcher
{
    private const int Capacity = 64;

    // Written with TryWrite alone, which in this mode answers false when the queue is full. (In DropWrite mode it drops
    // the batch and answers true, so the watch could not tell that it missed one.)
    private readonly Channel<WatchBatch> _batches = Channel.CreateBounded<WatchBatch>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _dropped;

    /// <summary>The latest version of a batch dropped because the queue was full; 0 when none was.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    public Task Committed(WatchBatch batch)
    {
        if (_batches.Writer.TryWrite(batch)) return Task.CompletedTask;
        for (var seen = Dropped; seen < batch.Version; seen = Dropped)
        {
            if (Interlocked.CompareExchange(ref _dropped, batch.Version, seen) == seen) break;
        }

        WatchMetrics.Overflowed(tenant);
        return Task.CompletedTask;
    }

    /// <summary>The next batch pushed, or null when none came within <paramref name="wait"/>.</summary>
    public async Task<WatchBatch?> Next(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_batches.Reader.TryRead(out var ready)) return ready;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            return await _batches.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
