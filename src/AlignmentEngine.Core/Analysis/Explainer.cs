using AlignmentEngine.Core.Graph;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core.Analysis;

/// <summary>
/// Read-side answers beyond the findings: a goal's result, its breakdown into its children's parts, subtrees and
/// coverage, read off the node and edge tables and never written to them. Health and pace are derived for the
/// date asked; everything else is as propagation left it.
/// </summary>
internal sealed class Explainer(
    NodeTable nodes,
    EdgeTable edges,
    AdjacencyLists parentEdges,
    AdjacencyLists childEdges,
    StringTable strings,
    AlignmentSettings settings)
{
    /// <summary>One goal's result at <paramref name="asOf"/>: its values as held, pace and health derived for the date.</summary>
    public GoalResult Result(int i, DateOnly asOf)
    {
        var period = nodes.ResolvedPeriod(i);
        return new GoalResult(
            nodes.Id[i]!,
            nodes.Value[i],
            nodes.Progress[i].Attainment,
            period is { } p ? PaceRules.Expected(p, asOf) : null,
            PaceRules.Health(nodes.IsCounted(i), period, nodes.Value[i], asOf, settings),
            nodes.IsCounted(i),
            nodes.ResolvedLevel[i] == NodeTable.NoLevel ? null : (GoalLevel)nodes.ResolvedLevel[i],
            period);
    }

    /// <summary>A goal's result and each child's part in it, children sorted by id.</summary>
    public RollupBreakdown Breakdown(int i, DateOnly asOf)
    {
        var source = !double.IsNaN(nodes.Progress[i].Override) ? ValueSource.Override
            : !nodes.HasMetric(i) ? ValueSource.Children
            : nodes.Aggregates[i] ? ValueSource.Sum : ValueSource.Metric;
        // The cascaded sum, or the weights' sum, added in the engine's order (BlockedSummation), as the value was.
        double total;
        if (source == ValueSource.Sum)
        {
            var terms = new CascadedChildTerms(childEdges.Items(i), nodes, edges, i);
            total = BlockedSummation.Sum(ref terms).A;
        }
        else
        {
            var terms = new WeightedChildTerms(childEdges.Items(i), edges, nodes.Value);
            total = BlockedSummation.Sum(ref terms).B;
        }

        var parts = new List<Contribution>();
        foreach (var e in childEdges.Items(i))
        {
            var c = edges.Child[e];
            var share = 0.0;
            if (source == ValueSource.Sum && nodes.IsSumming(edges, e, c, i) && total != 0) share = nodes.Progress[c].EffectiveCurrent / total;
            else if (source is ValueSource.Children && edges.Counts(e)) share = edges.Weight(e) * nodes.Value[c] / total;
            parts.Add(new Contribution(Result(c, asOf), edges.Weight(e), edges.Contributes[e], share));
        }

        parts.Sort((a, b) => string.CompareOrdinal(a.Child.Id, b.Child.Id));
        return new RollupBreakdown(Result(i, asOf), source, parts);
    }

    /// <summary>
    /// The goal and everything aligned beneath it (through any edge), each once, depth-first with children
    /// sorted by id, down to <paramref name="maxDepth"/> levels. Iterative: depth is not limited by the stack.
    /// </summary>
    public List<(string Id, int Depth, string? Via)> Subtree(int root, int maxDepth, out bool truncated)
    {
        truncated = false;
        var result = new List<(string, int, string?)>();
        var seen = new HashSet<int> { root };
        var stack = new Stack<(int Node, int Depth, int Via)>();
        stack.Push((root, 0, -1));
        var children = new List<int>();
        while (stack.Count > 0)
        {
            var (node, depth, via) = stack.Pop();
            result.Add((nodes.Id[node]!, depth, via < 0 ? null : nodes.Id[via]));
            if (childEdges.Count(node) == 0) continue;
            if (depth >= maxDepth)
            {
                truncated = true;
                continue;
            }

            children.Clear();
            foreach (var e in childEdges.Items(node))
            {
                if (seen.Add(edges.Child[e])) children.Add(edges.Child[e]);
            }

            children.Sort((a, b) => string.CompareOrdinal(nodes.Id[b], nodes.Id[a]));
            foreach (var c in children) stack.Push((c, depth + 1, node));
        }

        return result;
    }

    /// <summary>True when <paramref name="node"/> is <paramref name="root"/> or aligned beneath it through any chain.</summary>
    public bool IsWithin(int node, int root)
    {
        if (node == root) return true;
        var seen = new HashSet<int> { node };
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            foreach (var e in parentEdges.Items(stack.Pop()))
            {
                var p = edges.Parent[e];
                if (p == root) return true;

                // Ranks grow along edges: an ancestor ranked at or above the root cannot lead up to it.
                if (nodes.Rank[p] > nodes.Rank[root] && seen.Add(p)) stack.Push(p);
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
        for (var i = 0; i < nodes.End; i++)
        {
            if (!nodes.IsAlive(i) || !nodes.IsCounted(i)) continue;
            var anchored = nodes.Anchored[i] ? 1 : 0;
            overall = new CoverageFigures(overall.Counted + 1, overall.Anchored + anchored);
            var l = levels.GetValueOrDefault(nodes.ResolvedLevel[i]);
            levels[nodes.ResolvedLevel[i]] = new CoverageFigures(l.Counted + 1, l.Anchored + anchored);
            if (nodes.Owner[i] < 0) continue;
            var o = owners.GetValueOrDefault(nodes.Owner[i]);
            owners[nodes.Owner[i]] = new CoverageFigures(o.Counted + 1, o.Anchored + anchored);
        }

        return new CoverageReport(
            overall,
            [.. levels.OrderBy(l => l.Key).Select(l => (l.Key == NodeTable.NoLevel ? (GoalLevel?)null : (GoalLevel)l.Key, l.Value))],
            [.. owners.Select(o => (strings[o.Key]!, o.Value)).OrderBy(o => o.Item1, StringComparer.Ordinal)]);
    }
}
