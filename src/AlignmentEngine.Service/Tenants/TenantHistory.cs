using AlignmentEngine.Core;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Service.Tenants;

/// <summary>
/// Tenants as they stood in the past, rebuilt from the change log: the last snapshot (import) before the time
/// asked for, and every change set after it committed before that time, replayed through the same engine.
/// </summary>
public sealed class TenantHistory(IAlignmentStore store)
{
    // Rebuilt instants kept for the next read (a dashboard asks for the same past again and again). A past instant never
    // changes: commits only land at the present, since commit times never go back.
    private const int RecentReads = 4;

    private static readonly GoalTree EmptyTree = new();

    private readonly Lock _gate = new();
    private readonly LinkedList<(string Tenant, DateTimeOffset At, AlignmentGraph Graph, long Version)> _recent = new();

    /// <summary>
    /// The tenant as it stood at <paramref name="at"/> (an instant that has passed): every change committed before it,
    /// none after; and its version then. Null before its first change. The graph is shared with other readers: read
    /// it, never change it.
    /// </summary>
    internal async Task<(AlignmentGraph Graph, long Version)?> AtAsync(string tenant, DateTimeOffset at)
    {
        lock (_gate)
        {
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.Tenant != tenant || node.Value.At != at) continue;
                _recent.Remove(node);
                _recent.AddFirst(node);
                return (node.Value.Graph, node.Value.Version);
            }
        }

        var replay = new Replay(await ReadAsync(() => store.ReadHistoryAsync(tenant, at, at)).ConfigureAwait(false));
        replay.Until(at);
        if (replay.Graph is not { } graph) return null;
        lock (_gate)
        {
            _recent.AddFirst((tenant, at, graph, replay.Version));
            while (_recent.Count > RecentReads) _recent.RemoveLast();
        }

        return (graph, replay.Version);
    }

    /// <summary>
    /// The tenant as it stood at the end of <paramref name="day"/> (UTC), rolled up at that day, as GetProgressHistory
    /// answers for each of its goals; null before its first change. For <c>okr report --store</c>'s trend.
    /// </summary>
    public async Task<RollupReport?> RollupAtAsync(string tenant, DateOnly day)
    {
        RollupReport? report = null;
        await WalkAsync(tenant, [day], (_, graph, _) => report = graph?.Rollup(day)).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// Walks the log once from the first of <paramref name="days"/> to the last (in order), calling
    /// <paramref name="visit"/> with the tenant at the end of each day (null graph before its first change).
    /// </summary>
    internal async Task WalkAsync(string tenant, IReadOnlyList<DateOnly> days, Action<DateOnly, AlignmentGraph?, long> visit)
    {
        if (days.Count == 0) return;
        var replay = new Replay(await ReadAsync(() => store.ReadHistoryAsync(tenant, EndOf(days[0]), EndOf(days[^1]))).ConfigureAwait(false));
        foreach (var day in days)
        {
            replay.Until(EndOf(day));
            visit(day, replay.Graph, replay.Version);
        }
    }

    /// <summary>
    /// The committed changes after <paramref name="afterVersion"/> through <paramref name="untilVersion"/>, as watchers
    /// receive them, replayed from the change log: for a watch resuming from further back than the memory's log reaches
    /// (after a restart, or many changes later). The log is read first; each change is worked out as it is enumerated.
    /// </summary>
    internal async Task<IEnumerable<TenantEvent>> EventsBetweenAsync(string tenant, long afterVersion, long untilVersion) =>
        Replayed(await ReadAsync(() => store.ReadVersionsAsync(tenant, afterVersion, untilVersion)).ConfigureAwait(false), afterVersion);

    private static IEnumerable<TenantEvent> Replayed(IReadOnlyList<LogEntry> entries, long afterVersion)
    {
        var replay = new Replay(entries);
        replay.Through(afterVersion);
        var graph = replay.Graph ?? Build(EmptyTree);
        foreach (var entry in entries.Where(e => e.Version > afterVersion))
        {
            if (entry.IsSnapshot)
            {
                graph = Build(entry.Tree!);
                yield return new TenantEvent(entry.Version, [], [], [], TreeReplaced: true);
                continue;
            }

            var result = graph.Apply(entry.Changes!, entry.AsOf);
            if (!result.Accepted) throw new InvalidOperationException($"Replaying version {entry.Version} was refused: the change log does not replay.");
            yield return new TenantEvent(entry.Version, result.Goals, result.FindingsAppeared, result.FindingsDisappeared, TreeReplaced: false);
        }
    }

    private static AlignmentGraph Build(GoalTree tree) =>
        AlignmentGraph.Build(tree).Graph ?? throw new InvalidOperationException("A stored snapshot does not build.");

    private static DateTimeOffset EndOf(DateOnly day) => new(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static async Task<IReadOnlyList<LogEntry>> ReadAsync(Func<Task<IReadOnlyList<LogEntry>>> read)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            throw ServiceErrors.Unavailable("history cannot be read", e);
        }
    }

    /// <summary>A cursor over log entries that keeps one graph and moves it forward in time.</summary>
    private sealed class Replay(IReadOnlyList<LogEntry> entries)
    {
        private int _next;

        public AlignmentGraph? Graph { get; private set; }

        public long Version { get; private set; }

        public void Until(DateTimeOffset end) => While(entry => entry.CommittedAt < end);

        public void Through(long version) => While(entry => entry.Version <= version);

        private void While(Func<LogEntry, bool> included)
        {
            for (; _next < entries.Count && included(entries[_next]); _next++)
            {
                var entry = entries[_next];
                if (entry.IsSnapshot)
                {
                    Graph = Build(entry.Tree!);
                }
                else
                {
                    Graph ??= Build(EmptyTree);
                    var result = Graph.Apply(entry.Changes!, entry.AsOf);
                    if (!result.Accepted) throw new InvalidOperationException($"Replaying version {entry.Version} was refused: the change log does not replay.");
                }

                Version = entry.Version;
            }
        }
    }
}
