using AlignmentEngine.Core;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// One tenant: its graph, its version (the number of committed changes), and the recent change log that
/// watchers resume from. Reads share the graph; a write (or a simulation, which mutates and restores) has it
/// alone. Lock sections are short and synchronous: no await while holding the lock.
/// </summary>
internal sealed class Tenant(string id, AlignmentGraph graph, int logCapacity)
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly LinkedList<TenantEvent> _log = new();
    private AlignmentGraph _graph = graph;
    private long _version;
    private TaskCompletionSource _changed = NewSignal();

    public string Id { get; } = id;

    public long Version => Interlocked.Read(ref _version);

    public T Read<T>(Func<AlignmentGraph, long, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(_graph, _version);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> alone on the graph. When it reports an accepted, committed change the version
    /// moves on and watchers are told; <paramref name="expectedVersion"/> guards against lost updates.
    /// </summary>
    public (long Version, ChangeResult Result) Write(long? expectedVersion, Func<AlignmentGraph, ChangeResult> write, bool commits)
    {
        _lock.EnterWriteLock();
        try
        {
            if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
            var result = write(_graph);
            if (!commits || !result.Accepted) return (_version, result);
            Publish(new TenantEvent(_version + 1, result.Goals, result.FindingsAppeared, result.FindingsDisappeared, TreeReplaced: false));
            return (_version, result);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Replaces the whole graph (an import).</summary>
    public long Replace(long? expectedVersion, AlignmentGraph graph)
    {
        _lock.EnterWriteLock();
        try
        {
            if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
            _graph = graph;
            Publish(new TenantEvent(_version + 1, [], [], [], TreeReplaced: true));
            return _version;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The committed events after <paramref name="afterVersion"/>, and a task that completes at the next commit.
    /// Null events: the log no longer reaches back that far.
    /// </summary>
    public (IReadOnlyList<TenantEvent>? Events, Task Next) EventsAfter(long afterVersion)
    {
        _lock.EnterReadLock();
        try
        {
            var next = _changed.Task;
            if (afterVersion >= _version) return ([], next);
            if (_log.First is not { } first || first.Value.Version > afterVersion + 1) return (null, next);
            return ([.. _log.Where(e => e.Version > afterVersion)], next);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void Publish(TenantEvent change)
    {
        Interlocked.Exchange(ref _version, change.Version);
        _log.AddLast(change);
        while (_log.Count > logCapacity) _log.RemoveFirst();
        var signal = _changed;
        _changed = NewSignal();
        signal.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
