namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// A tenant's graph: read by many at once, or changed by one writer, who holds it across the store's commit (an await).
/// Unlike <see cref="ReaderWriterLockSlim"/> it belongs to no thread, so a writer may leave it from another thread than
/// the one it entered on. Writers wait asynchronously, in order, and go first: a reader arriving while a writer waits or
/// writes waits for every such writer. Readers enter synchronously (<see cref="EnterRead"/>: the grain's [ReadOnly]
/// calls, which Orleans never starts while a write call is in flight, so there they never wait) or asynchronously
/// (<see cref="EnterReadAsync"/>: a call that interleaves with writes, which must not block the grain's scheduler while
/// a write awaits the store).
/// </summary>
internal sealed class TenantLock
{
    // A monitor rather than a Lock: synchronous readers wait on it (Monitor.Wait) for the writers to be done.
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _waitingWriters = new();
    private int _readers;
    private bool _writing;
    private TaskCompletionSource? _writersDone;

    /// <summary>Shares the graph with other readers; blocks while a writer holds or waits for it.</summary>
    public Hold EnterRead()
    {
        lock (_gate)
        {
            while (_writing || _waitingWriters.Count > 0) Monitor.Wait(_gate);
            _readers++;
        }

        return new Hold(this, write: false);
    }

    /// <summary>Shares the graph with other readers, once no writer holds or waits for it.</summary>
    public ValueTask<Hold> EnterReadAsync()
    {
        Task writersDone;
        lock (_gate)
        {
            if (!_writing && _waitingWriters.Count == 0)
            {
                _readers++;
                return ValueTask.FromResult(new Hold(this, write: false));
            }

            writersDone = (_writersDone ??= NewSignal()).Task;
        }

        return AfterWriters(writersDone);
    }

    /// <summary>The graph alone: after the readers in it have left and the writers before this one are done.</summary>
    public ValueTask<Hold> EnterWriteAsync()
    {
        TaskCompletionSource turn;
        lock (_gate)
        {
            if (!_writing && _readers == 0 && _waitingWriters.Count == 0)
            {
                _writing = true;
                return ValueTask.FromResult(new Hold(this, write: true));
            }

            turn = NewSignal();
            _waitingWriters.Enqueue(turn);
        }

        return HandedOver(turn.Task);
    }

    private async ValueTask<Hold> AfterWriters(Task writersDone)
    {
        await writersDone.ConfigureAwait(false);
        return await EnterReadAsync().ConfigureAwait(false);
    }

    // The writer that leaves (or the last reader) hands the lock over: it is this writer's when its turn completes.
    private async ValueTask<Hold> HandedOver(Task turn)
    {
        await turn.ConfigureAwait(false);
        return new Hold(this, write: true);
    }

    private void ExitRead()
    {
        lock (_gate)
        {
            _readers--;
            if (_readers == 0 && _waitingWriters.TryDequeue(out var next))
            {
                _writing = true;
                next.SetResult();
            }
        }
    }

    private void ExitWrite()
    {
        lock (_gate)
        {
            if (_waitingWriters.TryDequeue(out var next))
            {
                next.SetResult();
                return;
            }

            _writing = false;
            Monitor.PulseAll(_gate);
            var done = _writersDone;
            _writersDone = null;
            done?.SetResult();
        }
    }

    // Continuations run outside the monitor (and never inline on the thread that leaves).
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The lock, held until disposed (once).</summary>
    public readonly struct Hold(TenantLock owner, bool write) : IDisposable
    {
        public void Dispose()
        {
            if (write) owner.ExitWrite();
            else owner.ExitRead();
        }
    }
}
