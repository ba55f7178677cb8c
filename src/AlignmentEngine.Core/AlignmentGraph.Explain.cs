using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core;

/// <summary>Read-side questions beyond plain results: breakdowns, subtrees and coverage.</summary>
public sealed partial class AlignmentGraph
{
    /// <summary>A goal's result and each child's part in it, children sorted by id; null for an unknown id.</summary>
    public RollupBreakdown? GetBreakdown(string id, DateOnly asOf)
    {
        if (!_index.TryGetValue(id, out var i)) return null;
        var source = !double.IsNaN(_nodes.Override[i]) ? ValueSource.Override
            : !HasMetric(i) ? ValueSource.Children
            : _nodes.Aggregates[i] ? ValueSource.Sum : ValueSource.Metric;
        double total = 0;
        foreach (var e in _childEdges.Items(i))
        {
            var c = _edges.Child[e];
            if (source == ValueSource.Sum && IsSumming(e, c, i)) total += _nodes.EffectiveCurrent[c];
            else if (source != ValueSource.Sum && EdgeCounts(e)) total += EdgeWeight(e);
        }

        var parts = new List<Contribution>();
        foreach (var e in _childEdges.Items(i))
        {
            var c = _edges.Child[e];
            var share = 0.0;
            if (source == ValueSource.Sum && IsSumming(e, c, i) && total != 0) share = _nodes.EffectiveCurrent[c] / total;
            else if (source is ValueSource.Children && EdgeCounts(e)) share = EdgeWeight(e) * _nodes.Value[c] / total;
            parts.Add(new Contribution(Result(c, asOf), EdgeWeight(e), _edges.Contributes[e], share));
        }

        parts.Sort((a, b) => string.CompareOrdinal(a.Child.Id, b.Child.Id));
        return new RollupBreakdown(Result(i, asOf), source, parts);
    }

    /// <summary>
    /// The goal and everything aligned beneath it (through any edge), each once, depth-first with children
    /// sorted by id, down to <paramref name="maxDepth"/> levels. Iterative: depth is not limited by the stack.
    /// </summary>
    public IReadOnlyList<(string Id, int Depth, string? Via)> Subtree(string id, int maxDepth, out bool truncated)
    {
        truncated = false;
        var result = new List<(string, int, string?)>();
        if (!_index.TryGetValue(id, out var root)) return result;
        var seen = new HashSet<int> { root };
        var stack = new Stack<(int Node, int Depth, int Via)>();
        stack.Push((root, 0, -1));
        var children = new List<int>();
        while (stack.Count > 0)
        {
            var (node, depth, via) = stack.Pop();
            result.Add((_nodes.Id[node]!, depth, via < 0 ? null : _nodes.Id[via]));
            if (_childEdges.Count(node) == 0) continue;
            if (depth >= maxDepth)
            {
                truncated = true;
                continue;
            }

            children.Clear();
            foreach (var e in _childEdges.Items(node))
            {
                if (seen.Add(_edges.Child[e])) children.Add(_edges.Child[e]);
            }

            children.Sort((a, b) => string.CompareOrdinal(_nodes.Id[b], _nodes.Id[a]));
            foreach (var c in children) stack.Push((c, depth + 1, node));
        }

        return result;
    }

    /// <summary>True when <paramref name="id"/> is <paramref name="rootId"/> or aligned beneath it through any chain.</summary>
    public bool IsWithin(string id, string rootId)
    {
        if (!_index.TryGetValue(id, out var node) || !_index.TryGetValue(rootId, out var root)) return false;
        if (node == root) return true;
        var seen = new HashSet<int> { node };
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            foreach (var e in _parentEdges.Items(stack.Pop()))
            {
                var p = _edges.Parent[e];
                if (p == root) return true;

                // Ranks grow along edges: an ancestor ranked at or above the root cannot lead up to it.
                if (_nodes.Rank[p] > _nodes.Rank[root] && seen.Add(p)) stack.Push(p);
            }
        }

        return false;
    }

    /// <summary>Share of counted goals that are anchored, overall, per resolved level and per owner.</summary>
    public CoverageReport Coverage()
    {
        var overall = new CoverageFigures();
        var levels = new Dictionary<sbyte, CoverageFigures>();
        var owners = new Dictionary<int, CoverageFigures>();
        for (var i = 0; i < _nodes.End; i++)
        {
            if (!IsAlive(i) || !IsCounted(i)) continue;
            var anchored = _nodes.Anchored[i] ? 1 : 0;
            overall = new CoverageFigures(overall.Counted + 1, overall.Anchored + anchored);
            var l = levels.GetValueOrDefault(_nodes.ResolvedLevel[i]);
            levels[_nodes.ResolvedLevel[i]] = new CoverageFigures(l.Counted + 1, l.Anchored + anchored);
            if (_nodes.Owner[i] < 0) continue;
            var o = owners.GetValueOrDefault(_nodes.Owner[i]);
            owners[_nodes.Owner[i]] = new CoverageFigures(o.Counted + 1, o.Anchored + anchored);
        }

        return new CoverageReport(
            overall,
            [.. levels.OrderBy(l => l.Key).Select(l => (l.Key == NodeTable.NoLevel ? (GoalLevel?)null : (GoalLevel)l.Key, l.Value))],
            [.. owners.Select(o => (_strings[o.Key]!, o.Value)).OrderBy(o => o.Item1, StringComparer.Ordinal)]);
    }
}
