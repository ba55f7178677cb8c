using System.Threading.Channels;
using AlignmentEngine.Grains;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// One open watch's side of its subscription (a grain observer): the batches the tenant's grain pushes, queued for the
/// watch to send. The queue is bounded and a batch that finds it full is dropped: a watcher that falls that far behind
/// sees a version jump and replays what it missed from the change log, in its own time, instead of the front holding
/// every change for a slow client.
/// </summary>
internal sealed class WatchInbox : ITenantWatcher
{
    private const int Capacity = 64;

    private readonly Channel<WatchBatch> _batches = Channel.CreateBounded<WatchBatch>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public Task Committed(WatchBatch batch)
    {
        _batches.Writer.TryWrite(batch);
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
