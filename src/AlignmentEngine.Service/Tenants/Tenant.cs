using AlignmentEngine.Core;
using AlignmentEngine.Service.Telemetry;
using AlignmentEngine.Service.Webhooks;
using AlignmentEngine.Storage;
using Google.Protobuf;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// One tenant: its graph, its version (the number of committed changes), and the recent change log that
/// watchers resume from. Reads share the graph; a write (or a simulation, which mutates and restores) has it
/// alone. A write is staged on the graph, committed to the store, and only then kept by the graph: an
/// acknowledged change is durable, and a change the store refused is undone and leaves nothing behind. A writer holds the
/// graph (<see cref="TenantLock"/>) across its await of the store's commit; readers take it for short synchronous
/// sections. The recent log has a lock of its own, never held across an await, so a watcher never
/// waits for a commit.
/// </summary>
internal sealed class Tenant(string id, AlignmentGraph graph, long version, DateTimeOffset committedAt, TenantContext context)
{
    // A conflict means another process committed first: catch up and try again. With expected_version the second
    // attempt already answers ABORTED; a blind write retries while other processes keep winning, up to this bound.
    private const int MaxAttempts = 32;

    // More log entries than this behind: load the tenant whole rather than replaying them one by one.
    private const int MaxReplay = 1_000;

    private static readonly GoalTree EmptyTree = new();

    private readonly TenantLock _lock = new();
    private readonly Lock _logGate = new();
    private readonly LinkedList<TenantEvent> _log = new();
    private AlignmentGraph _graph = graph;
    private long _version = version;
    private DateTimeOffset _committedAt = committedAt;
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
        using var hold = _lock.EnterRead();
        return read(_graph, _version);
    }

    /// <summary>As <see cref="Read{T}"/>, waiting without blocking while a write holds the graph (for calls that interleave with writes).</summary>
    public async ValueTask<T> ReadAsync<T>(Func<AlignmentGraph, long, T> read)
    {
        using var hold = await _lock.EnterReadAsync().ConfigureAwait(false);
        return read(_graph, _version);
    }

    /// <summary>
    /// Applies <paramref name="changes"/>, commits them as the next version and answers what <paramref name="answer"/>
    /// makes of the result; <paramref name="expectedVersion"/> guards against lost updates, <paramref name="check"/>
    /// refuses what the limits forbid before anything runs, and a change the graph refuses is thrown as
    /// <paramref name="refuse"/> says. With a <paramref name="key"/>, the write is idempotent (see <see cref="ReplayedAsync{T}"/>).
    /// </summary>
    public async Task<T> ApplyAsync<T>(
        long? expectedVersion, IReadOnlyList<GoalChange> changes, DateOnly asOf, Action<AlignmentGraph> check, RequestKey? key,
        Func<ChangeResult, Exception> refuse, Func<long, ChangeResult, T> answer)
        where T : class, IMessage<T>, new()
    {
        Func<T> respond;
        using (await _lock.EnterWriteAsync().ConfigureAwait(false))
        {
            respond = await MappingStoreErrorsAsync<Func<T>>(expectedVersion, "the change was not applied", async () =>
            {
                await Webhooks.LoadAsync().ConfigureAwait(false);
                for (var attempt = 1; ; attempt++)
                {
                    if (key is not null && await ReplayedAsync<T>(key).ConfigureAwait(false) is { } replayed) return () => replayed;
                    if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
                    check(_graph);
                    var next = _version + 1;
                    var at = NextCommitTime();
                    try
                    {
                        // The store commits first and the graph follows: a change the store refused is undone when
                        // the staged change is disposed, before the conflict is handled below.
                        using var staged = Stage(Recomputation.Apply, changes, asOf);
                        var result = staged.Result;
                        if (!result.Accepted) throw refuse(result);
                        // An idempotent write's response is kept with it, so it is built before the commit; any
                        // other's after the lock is released.
                        var response = key is null ? null : answer(next, result);
                        // The webhook events go into the change's own store transaction: they exist exactly when it does.
                        await context.Store.AppendAsync(ChangeSet.From(Id, next, at, staged) with
                        {
                            Outbox = Webhooks.ForChange(next, at, result, _graph),
                            Request = key?.Answered(response!),
                        }).ConfigureAwait(false);
                        staged.Commit();
                        _committedAt = at;
                        Findings.Move(result.FindingsAppeared, result.FindingsDisappeared);
                        Publish(new TenantEvent(next, result.Goals, result.FindingsAppeared, result.FindingsDisappeared, TreeReplaced: false));
                        Webhooks.Committed();
                        return response is null ? () => answer(next, result) : () => response;
                    }
                    catch (StoreConflictException) when (attempt < MaxAttempts)
                    {
                        // Another process wrote this version (or this request_id): take its changes, then judge again.
                        await CatchUpLockedAsync().ConfigureAwait(false);
                    }
                }
            }).ConfigureAwait(false);
        }

        return respond();
    }

    /// <summary>What <paramref name="changes"/> would do, with nothing kept or stored.</summary>
    public async Task<(long Version, ChangeResult Result)> SimulateAsync(long? expectedVersion, IReadOnlyList<GoalChange> changes, DateOnly asOf, Action<AlignmentGraph> check)
    {
        using var hold = await _lock.EnterWriteAsync().ConfigureAwait(false);
        if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
        check(_graph);
        using var staged = Stage(Recomputation.Simulate, changes, asOf);
        return (_version, staged.Result);
    }

    /// <summary>
    /// Replaces the whole graph (an import), committed as a snapshot first, and answers what <paramref name="answer"/>
    /// makes of the new version; <paramref name="findings"/> are the graph's, analysed before it was handed over (null:
    /// unknown until the next analysis). With a <paramref name="key"/>, the import is idempotent (see <see cref="ReplayedAsync{T}"/>).
    /// </summary>
    public async Task<T> ReplaceAsync<T>(long? expectedVersion, AlignmentGraph graph, IReadOnlyList<Finding>? findings, DateOnly asOf, RequestKey? key, Func<long, T> answer)
        where T : class, IMessage<T>, new()
    {
        var tree = graph.Export();
        Func<T> respond;
        using (await _lock.EnterWriteAsync().ConfigureAwait(false))
        {
            respond = await MappingStoreErrorsAsync<Func<T>>(expectedVersion, "the import was not applied", async () =>
            {
                await Webhooks.LoadAsync().ConfigureAwait(false);
                for (var attempt = 1; ; attempt++)
                {
                    if (key is not null && await ReplayedAsync<T>(key).ConfigureAwait(false) is { } replayed) return () => replayed;
                    if (expectedVersion is { } expected && expected != _version) throw ServiceErrors.Aborted(expected, _version);
                    var next = _version + 1;
                    var at = NextCommitTime();
                    var response = key is null ? null : answer(next);
                    try
                    {
                        await context.Store.ReplaceAsync(new TreeSnapshot(Id, next, at, asOf, tree) { Outbox = Webhooks.ForReplace(next, at), Request = key?.Answered(response!) })
                            .ConfigureAwait(false);
                    }
                    catch (StoreConflictException) when (attempt < MaxAttempts)
                    {
                        await CatchUpLockedAsync().ConfigureAwait(false);
                        continue;
                    }

                    _graph = graph;
                    _committedAt = at;
                    if (findings is null) Findings.Forget();
                    else Findings.Set(findings);
                    Publish(new TenantEvent(next, [], [], [], TreeReplaced: true));
                    Webhooks.Committed();
                    return response is null ? () => answer(next) : () => response;
                }
            }).ConfigureAwait(false);
        }

        return respond();
    }

    /// <summary>The committed events after <paramref name="afterVersion"/>; null when the log no longer reaches back that far.</summary>
    public IReadOnlyList<TenantEvent>? EventsAfter(long afterVersion)
    {
        lock (_logGate)
        {
            if (afterVersion >= _version) return [];
            if (_log.First is not { } first || first.Value.Version > afterVersion + 1) return null;
            return [.. _log.Where(e => e.Version > afterVersion)];
        }
    }

    /// <summary>
    /// The response of the write this tenant committed with <paramref name="key"/>'s request_id, from the store (so
    /// whichever process committed it, before a restart too), or null when there is none: then the write goes ahead,
    /// and the store's unique index on the id refuses it should another process commit the same id first. The same id
    /// with a different request is INVALID_ARGUMENT. A write that committed elsewhere is caught up with, so that this
    /// process's reads show what the response says.
    /// </summary>
    private async Task<T?> ReplayedAsync<T>(RequestKey key)
        where T : class, IMessage<T>, new()
    {
        if (await context.Store.FindRequestAsync(Id, key.Id).ConfigureAwait(false) is not { } stored) return null;
        if (!stored.Fingerprint.AsSpan().SequenceEqual(key.Fingerprint)) throw ServiceErrors.RequestIdReused(key.Id, Id, stored.Version);
        if (stored.Version > _version) await CatchUpLockedAsync().ConfigureAwait(false);
        var response = new T();
        response.MergeFrom(stored.Response);
        return response;
    }

    /// <summary>
    /// Takes in what was committed after this activation's version by another (two activations overlapping while the
    /// cluster's directory settles, or another deployment on the same store): a write whose commit the store refused
    /// runs this, then judges its change again on top.
    /// </summary>
    private async Task CatchUpLockedAsync()
    {
        using var span = ServiceSpans.CatchUp(Id);
        var entries = await context.Store.ReadLogAsync(Id, _version).ConfigureAwait(false);
        if (entries.Count == 0) return;
        if (entries.Count > MaxReplay || entries.Any(e => e.IsSnapshot))
        {
            await ReloadAsync().ConfigureAwait(false);
            return;
        }

        foreach (var entry in entries)
        {
            using var staged = Stage(Recomputation.Replay, entry.Changes!, entry.AsOf);
            var result = staged.Result;
            if (!result.Accepted)
            {
                // Cannot happen when every process runs the same engine; if it does, the store is the truth.
                await ReloadAsync().ConfigureAwait(false);
                return;
            }

            staged.Commit();

            _committedAt = entry.CommittedAt;
            Findings.Move(result.FindingsAppeared, result.FindingsDisappeared);
            Publish(new TenantEvent(entry.Version, result.Goals, result.FindingsAppeared, result.FindingsDisappeared, TreeReplaced: false));
        }
    }

    private async Task ReloadAsync()
    {
        if (await context.Store.LoadTenantAsync(Id).ConfigureAwait(false) is not { } stored) return;
        var build = Recomputation.BuildGraph(Id, stored.Tree);
        _graph = build.Graph ?? throw new InvalidOperationException($"The stored tree of tenant '{Id}' does not build: {string.Join("; ", build.Errors)}");
        _committedAt = stored.CommittedAt;
        Findings.Forget();
        Publish(new TenantEvent(stored.Version, [], [], [], TreeReplaced: true));
    }

    /// <summary>
    /// Stages a change set on the graph as one measured recomputation (<paramref name="kind"/>: applied, simulated or
    /// replayed), which ends before the store is written: the caller commits or disposes the staged change.
    /// </summary>
    private StagedChange Stage(string kind, IReadOnlyList<GoalChange> changes, DateOnly asOf)
    {
        var recomputation = Recomputation.Start(kind, Id, changes.Count);
        try
        {
            var staged = _graph.Stage(changes, asOf);
            recomputation.End(_graph.Count, staged.Result.Goals.Count);
            return staged;
        }
        catch (Exception e)
        {
            recomputation.Failed(e);
            throw;
        }
    }

    /// <summary>
    /// The one place where the store's failures become statuses: a version another process took first is ABORTED
    /// (after the retries above), a store that cannot be reached UNAVAILABLE, and the graph has kept nothing of either.
    /// </summary>
    private async Task<T> MappingStoreErrorsAsync<T>(long? expectedVersion, string notDone, Func<Task<T>> write)
    {
        try
        {
            return await write().ConfigureAwait(false);
        }
        catch (StoreConflictException)
        {
            throw ServiceErrors.Aborted(expectedVersion ?? _version, _version);
        }
        catch (StoreUnavailableException e)
        {
            context.Health.Failed();
            throw ServiceErrors.Unavailable(notDone, e);
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
        lock (_logGate)
        {
            Interlocked.Exchange(ref _version, change.Version);
            Volatile.Write(ref _size, new GraphSize(_graph.Count, _graph.AlignmentCount));
            _log.AddLast(change);
            while (_log.Count > context.LogCapacity) _log.RemoveFirst();
        }
    }
}
