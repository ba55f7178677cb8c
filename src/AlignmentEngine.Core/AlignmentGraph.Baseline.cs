namespace AlignmentEngine.Core;

/// <summary>
/// Measurement hooks for the benchmarks, and nothing else: internal entries into the roll-up machinery, and
/// the <em>plain sequential pass</em> that the roll-up is judged against (issue 6: "within 1.5x of a plain
/// pass over the same arrays"). None of this is used by the engine itself.
/// </summary>
public sealed partial class AlignmentGraph
{
    /// <summary>Node slots in use (live or free), the extent every full pass covers.</summary>
    internal int NodeSlots => _nodeEnd;

    /// <summary>
    /// The full roll-up of values: every goal's value, attainment and effective current recomputed from its
    /// metric or its children, children first. The same loop the bulk build runs (its second pass), over the
    /// same topologically numbered arrays; results are identical to what the graph holds, so it can be repeated.
    /// </summary>
    internal void RecomputeValues()
    {
        for (var i = _nodeEnd - 1; i >= 0; i--)
        {
            (_value[i], _attainment[i], _effCurrent[i]) = Evaluate(i);
        }
    }

    /// <summary>Every derived field from scratch (ranks, resolved periods and levels, anchoring, then values).</summary>
    internal void RecomputeEverything() => ComputeAllInTopologicalOrder();

    /// <summary>
    /// The baseline a hand-written loop would be: one reverse pass over the same child lists, edge arrays and
    /// values, each node the weighted mean of its children (a childless node keeps its value). No states, no
    /// metrics, no overrides, no sums: the memory traffic of a roll-up and none of its rules. Writes into
    /// <paramref name="scratch"/> so the graph is untouched; returns the top node's value so the work is observable.
    /// </summary>
    internal double PlainWeightedPass(double[] scratch)
    {
        for (var i = _nodeEnd - 1; i >= 0; i--)
        {
            var edges = _childEdges.Items(i);
            if (edges.Length == 0)
            {
                scratch[i] = _value[i];
                continue;
            }

            double weighted = 0, weights = 0;
            foreach (var e in edges)
            {
                var w = _edgeWeight[e];
                weighted += w * scratch[_edgeChild[e]];
                weights += w;
            }

            scratch[i] = weighted / weights;
        }

        return scratch[0];
    }

    /// <summary>A goal's rank (its longest distance from a root), for picking benchmark targets by depth.</summary>
    internal int RankOf(string id) => _rank[_index[id]];
}
