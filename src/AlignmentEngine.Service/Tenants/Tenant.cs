using AlignmentEngine.Core;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Webhooks;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// One tenant: its graph, its version (the number of committed changes), and the recent change log that
/// watchers resume from. Reads share the graph; a write (or a simulation, which mutates and restores) has it
/// alone. A write commits to the store first, from inside the graph's own transaction, and the graph keeps
/// the change only when that commit returned: an acknowledged change is durable, and a change the store
/// refused leaves nothing behind. Lock sections are short and synchronous: no await while holding the lock.
/// </summary>
internal sealed class Tenant(string id, AlignmentGraph graph, long version, DateTimeOffset committedAt, TenantContext context)
{
    // A conflict means another process committed first: catch up and try again. With expected_version the second
    // attempt already answers ABORTED; a blind write retries while other processes keep winning, up to this bound.
    private const int MaxAttempts = 32;

    // More log entries than this behind: load the tenant whole rather than replaying them one by one.
    private const int MaxReplay = 1_000;

    private static readonly GoalTree EmptyTree = new();

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly LinkedList<TenantEvent> _log = new();
    private AlignmentGraph _graph = graph;
    private long _version = version;
    private DateTimeOffset _committedAt = committedAt;
    private TaskCompletionSource _changed = NewSignal();
    private GraphSize _size = new(graph.Count, graph.AlignmentCount);

    public string Id { get; } = id;

    public long Version => Interlocked.Read(ref _version);

    /// <summary>The graph's size at the last commit, readable without the lock (for metrics).</summary>
    public GraphSize Size => Volatile.Read(ref _size);

    public FindingTally Findings { get; } = new();

    /// <summary>The tenant's webhook subscriptions, whose events each commit writes to the outbox.</summary>
    public TenantWebhooks Webhooks { get; } = new(id, context.Webhooks);

    public static Tenant Empty(string id, TenantContext context) =>
        new(id, AlignmentGraph.Build(EmptyTree).Graph!, 0, DateTimeOffset.MinValue, context);

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
    /// Applies <paramref name="changes"/> and commits them as the next version; <paramref name="expectedVersion"/>
    /// guards against lost updates, <paramref name="check"/> refuses what the limits forbid before anything runs.
    /// </summary>
    public (long Version, ChangeResult Result) Apply(long? expectedVersion, IReadOnlyList<GoalChange> changes, DateOnly asOf, Action<AlignmentGraph> check)
    {
        _lock.EnterWriteLock();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
                check(_graph);
                var next = _version + 1;
                var at = NextCommitTime();
                try
                {
                    var result = Recompute(Recomputation.Apply, changes, asOf, recomputed => Commit(next, at, asOf, changes, recomputed));
                    if (!result.Accepted) return (_version, result);
                    _committedAt = at;
                    Findings.Move(result.FindingsAppeared, result.FindingsDisappeared);
                    Publish(new TenantEvent(next, result.Goals, result.FindingsAppeared, result.FindingsDisappeared, TreeReplaced: false));
                    Webhooks.Committed();
                    return (_version, result);
                }
                catch (StoreConflictException) when (attempt < MaxAttempts)
                {
                    // The graph rolled back. Another process wrote this version: take its changes, then judge again.
                    CatchUpLocked();
                }
            }
        }
        catch (StoreConflictException)
        {
            throw ServiceErrors.Aborted(expectedVersion ?? _version, _version);
        }
        catch (StoreUnavailableException e)
        {
            context.Health.Failed();
            throw ServiceErrors.Unavailable($"the change was not applied: {e.Message}");
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>What <paramref name="changes"/> would do, with nothing kept or stored.</summary>
    public (long Version, ChangeResult Result) Simulate(long? expectedVersion, IReadOnlyList<GoalChange> changes, DateOnly asOf, Action<AlignmentGraph> check)
    {
        _lock.EnterWriteLock();
        try
        {
            if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
            check(_graph);
            return (_version, Recompute(Recomputation.Simulate, changes, asOf, commit: null));
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Replaces the whole graph (an import), committed as a snapshot first.</summary>
    public long Replace(long? expectedVersion, AlignmentGraph graph, DateOnly asOf)
    {
        var tree = graph.Export();
        _lock.EnterWriteLock();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
                var next = _version + 1;
                var at = NextCommitTime();
                try
                {
                    context.Store.Replace(new TreeSnapshot(Id, next, at, asOf, tree) { Outbox = Webhooks.ForReplace(next, at) });
                }
                catch (StoreConflictException) when (attempt < MaxAttempts)
                {
                    CatchUpLocked();
                    continue;
                }

                _graph = graph;
                _committedAt = at;
                Findings.Forget();
                Publish(new TenantEvent(next, [], [], [], TreeReplaced: true));
                Webhooks.Committed();
                return _version;
            }
        }
        catch (StoreConflictException)
        {
            throw ServiceErrors.Aborted(expectedVersion ?? _version, _version);
        }
        catch (StoreUnavailableException e)
        {
            context.Health.Failed();
            throw ServiceErrors.Unavailable($"the import was not applied: {e.Message}");
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Takes in what other processes committed since this one's version (replicas on one database).</summary>
    public void CatchUp()
    {
        _lock.EnterWriteLock();
        try
        {
            CatchUpLocked();
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

    /// <summary>
    /// Called by the graph inside its transaction: the store commits, or throws and the graph rolls back. The webhook
    /// events of the change go into the same store transaction, so they exist exactly when the change does.
    /// </summary>
    private void Commit(long next, DateTimeOffset at, DateOnly asOf, IReadOnlyList<GoalChange> changes, ChangeResult recomputed)
    {
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var goals = new List<GoalDefinition>();
        var removed = new List<string>();
        foreach (var change in changes)
        {
            if (!touched.Add(change.GoalId)) continue;
            if (_graph.GetDefinition(change.GoalId) is { } definition) goals.Add(definition);
            else removed.Add(change.GoalId);
        }

        context.Store.Append(new ChangeSet(Id, next, at, asOf, changes, goals, removed) { Outbox = Webhooks.ForChange(next, at, recomputed, _graph) });
    }

    private void CatchUpLocked()
    {
        var entries = context.Store.ReadLog(Id, _version);
        if (entries.Count == 0) return;
        if (entries.Count > MaxReplay || entries.Any(e => e.IsSnapshot))
        {
            Reload();
            return;
        }

        foreach (var entry in entries)
        {
            var result = Recompute(Recomputation.Replay, entry.Changes!, entry.AsOf, commit: null);
            if (!result.Accepted)
            {
                // Cannot happen when every process runs the same engine; if it does, the store is the truth.
                Reload();
                return;
            }

            _committedAt = entry.CommittedAt;
            Findings.Move(result.FindingsAppeared, result.FindingsDisappeared);
            Publish(new TenantEvent(entry.Version, result.Goals, result.FindingsAppeared, result.FindingsDisappeared, TreeReplaced: false));
        }
    }

    private void Reload()
    {
        if (context.Store.LoadTenant(Id) is not { } stored) return;
        var build = Recomputation.BuildGraph(Id, stored.Tree);
        _graph = build.Graph ?? throw new InvalidOperationException($"The stored tree of tenant '{Id}' does not build: {string.Join("; ", build.Errors)}");
        _committedAt = stored.CommittedAt;
        Findings.Forget();
        Publish(new TenantEvent(stored.Version, [], [], [], TreeReplaced: true));
    }

    /// <summary>
    /// Applies (or simulates, by <paramref name="kind"/>) a change set as one measured recomputation. With a
    /// <paramref name="commit"/>, the recomputation ends once the graph is recomputed and before the store is written.
    /// </summary>
    private ChangeResult Recompute(string kind, IReadOnlyList<GoalChange> changes, DateOnly asOf, Action<ChangeResult>? commit)
    {
        var recomputation = Recomputation.Start(kind, Id, changes.Count);
        try
        {
            var result = kind == Recomputation.Simulate ? _graph.Simulate(changes, asOf)
                : commit is null ? _graph.Apply(changes, asOf)
                : _graph.Apply(changes, asOf, recomputed =>
                {
                    recomputation.End(_graph.Count, recomputed.Goals.Count);
                    commit(recomputed);
                });
            recomputation.End(_graph.Count, result.Goals.Count);
            return result;
        }
        catch (Exception e)
        {
            recomputation.Failed(e);
            throw;
        }
    }

    /// <summary>Now, but never before the previous commit: history reads the log by time, so times must not go back.</summary>
    private DateTimeOffset NextCommitTime()
    {
        var now = context.Clock.GetUtcNow();
        return now > _committedAt ? now : _committedAt;
    }

    private void Publish(TenantEvent change)
    {
        Interlocked.Exchange(ref _version, change.Version);
        Volatile.Write(ref _size, new GraphSize(_graph.Count, _graph.AlignmentCount));
        _log.AddLast(change);
        while (_log.Count > context.LogCapacity) _log.RemoveFirst();
        var signal = _changed;
        _changed = NewSignal();
        signal.SetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
