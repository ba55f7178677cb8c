using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core;

public sealed partial class AlignmentGraph
{
    private string[]? _sortedIds;

    /// <summary>Every finding of the graph at <paramref name="asOf"/>, in the spec's order.</summary>
    public IReadOnlyList<Finding> Analyze(DateOnly asOf) => _findings.All(asOf);

    /// <summary>Every goal's result at <paramref name="asOf"/> sorted by id, and every finding in the spec's order.</summary>
    public RollupReport Rollup(DateOnly asOf)
    {
        var goals = new List<GoalResult>(_nodes.Count);
        foreach (var id in SortedIds()) goals.Add(_explainer.Result(_index[id], asOf));
        return new RollupReport(asOf, true, goals, Analyze(asOf));
    }

    /// <summary>One goal's result at <paramref name="asOf"/>, or null when there is no such goal.</summary>
    public GoalResult? GetResult(string id, DateOnly asOf) =>
        _index.TryGetValue(id, out var i) ? _explainer.Result(i, asOf) : null;

    /// <summary>The goal as a caller would state it now (check-ins included), or null.</summary>
    public GoalDefinition? GetDefinition(string id) =>
        _index.TryGetValue(id, out var i) ? Definition(i) : null;

    /// <summary>Every goal id, sorted ordinally.</summary>
    public IReadOnlyList<string> AllIds => SortedIds();

    /// <summary>The goal's state, or null for an unknown id (no definition is built: cheap enough to filter on).</summary>
    public GoalState? StateOf(string id) => _index.TryGetValue(id, out var i) ? _nodes.State[i] : null;

    /// <summary>The goal's owner, or null for none or an unknown id.</summary>
    public string? OwnerOf(string id) => _index.TryGetValue(id, out var i) ? _strings[_nodes.Owner[i]] : null;

    /// <summary>The ids of the goals aligned directly to <paramref name="id"/>, sorted; empty for an unknown id.</summary>
    public IReadOnlyList<string> ChildrenOf(string id)
    {
        if (!_index.TryGetValue(id, out var i)) return [];
        var ids = new List<string>();
        foreach (var e in _childEdges.Items(i)) ids.Add(_nodes.Id[_edges.Child[e]]!);
        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    /// <summary>The whole graph as a goal tree: goals sorted by id, with the graph's periods and settings.</summary>
    public GoalTree Export() => new()
    {
        Goals = [.. SortedIds().Select(id => Definition(_index[id]))],
        Periods = Periods,
        DefaultPeriod = DefaultPeriodRef,
        Settings = Settings,
    };

    private GoalSnapshot Snapshot(int i, DateOnly asOf) =>
        new(_nodes.Value[i], PaceRules.Health(IsCounted(i), ResolvedPeriod(i), _nodes.Value[i], asOf, Settings));

    private GoalDefinition Definition(int i)
    {
        var links = new List<ParentLink>(_parentEdges.Count(i));
        foreach (var e in _parentEdges.Items(i))
        {
            links.Add(new ParentLink(_nodes.Id[_edges.Parent[e]]!, EdgeWeight(e), _edges.Contributes[e]));
        }

        var (metric, overridden) = (_nodes.Metric[i], _nodes.Progress[i].Override);
        return new GoalDefinition(_nodes.Id[i]!, _nodes.Type[i])
        {
            Level = _nodes.OwnLevel[i] == NodeTable.NoLevel ? null : (GoalLevel)_nodes.OwnLevel[i],
            Title = _nodes.Title[i],
            Owner = _strings[_nodes.Owner[i]],
            Tags = TagsOf(i) ?? [],
            State = _nodes.State[i],
            Period = _strings[_nodes.PeriodName[i]] is { } name ? PeriodRef.Named(name) : OwnPeriod(i) is { } own ? PeriodRef.Of(own) : null,
            Metric = HasMetric(i)
                ? new Metric(
                    (MetricDirection)_nodes.Direction[i],
                    metric.Start,
                    double.IsNaN(metric.Target) ? null : metric.Target,
                    double.IsNaN(metric.Current) ? null : metric.Current,
                    _strings[_nodes.Unit[i]],
                    _strings[_nodes.Key[i]],
                    _nodes.Aggregates[i] ? MetricAggregate.Sum : MetricAggregate.None)
                : null,
            ProgressOverride = double.IsNaN(overridden) ? null : overridden,
            Parents = links,
        };
    }

    /// <summary>Every live id in ordinal order, cached until goals are added or removed; ranks the id order on the way.</summary>
    private string[] SortedIds() => _sortedIds ??= _idOrder.Rank(_nodes.Id, _nodes.End, _nodes.Count);

    /// <summary>A goal's result and each child's part in it, children sorted by id; null for an unknown id.</summary>
    public RollupBreakdown? GetBreakdown(string id, DateOnly asOf) =>
        _index.TryGetValue(id, out var i) ? _explainer.Breakdown(i, asOf) : null;

    /// <summary>
    /// The goal and everything aligned beneath it (through any edge), each once, depth-first with children
    /// sorted by id, down to <paramref name="maxDepth"/> levels. Iterative: depth is not limited by the stack.
    /// </summary>
    public IReadOnlyList<(string Id, int Depth, string? Via)> Subtree(string id, int maxDepth, out bool truncated)
    {
        truncated = false;
        return _index.TryGetValue(id, out var root) ? _explainer.Subtree(root, maxDepth, out truncated) : [];
    }

    /// <summary>True when <paramref name="id"/> is <paramref name="rootId"/> or aligned beneath it through any chain.</summary>
    public bool IsWithin(string id, string rootId) =>
        _index.TryGetValue(id, out var node) && _index.TryGetValue(rootId, out var root) && _explainer.IsWithin(node, root);

    /// <summary>Share of counted goals that are anchored, overall, per resolved level and per owner.</summary>
    public CoverageReport Coverage() => _explainer.Coverage();
}
