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
    /// Every goal's value evaluated from scratch, own metrics included, children first: the roll-up (<see cref="RollUpAll"/>)
    /// plus the re-evaluation of its inputs. Results are identical to what the graph holds, so it can be repeated.
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
                // The stored weight as it is, sign and all: a hand-written pass has one weight array and nothing to
                // undo, so the baseline pays no instruction the roll-up's layout made necessary.
                var w = _edgeSignedWeight[e];
                weighted += w * scratch[_edgeChild[e]];
                weights += w;
            }

            scratch[i] = weighted / weights;
        }

        return scratch[0];
    }

    /// <summary>
    /// A layout experiment, not engine code: the roll-up's inputs repacked the way the benchmark report suggests
    /// (docs/benchmarks.md, "What limits"). One kind byte per node; for each node that rolls up, its contributing
    /// counted children inline (child index and weight side by side, summing children only for cascaded sums), so
    /// the pass reads one CSR and never looks at edges, states or units; goals whose value comes from their own
    /// metric or an override keep the value computed when it was set, as a check-in already does.
    /// </summary>
    internal PackedLayout PackForRollup()
    {
        var kind = new byte[_nodeEnd];
        var rowStart = new int[_nodeEnd + 1];
        var children = new List<int>(_edgeEnd);
        var weights = new List<double>(_edgeEnd);
        for (var i = 0; i < _nodeEnd; i++)
        {
            rowStart[i] = children.Count;
            kind[i] = !IsAlive(i) || !double.IsNaN(_override[i]) || (HasMetric(i) && !_aggregates[i]) ? PackedLayout.Kept
                : HasMetric(i) ? PackedLayout.Sum : PackedLayout.Mean;
            if (kind[i] == PackedLayout.Kept) continue;
            foreach (var e in _childEdges.Items(i))
            {
                var c = _edgeChild[e];
                if (kind[i] == PackedLayout.Mean ? _edgeContributes[e] && IsCounted(c) : IsSumming(e, c, i))
                {
                    children.Add(c);
                    weights.Add(EdgeWeight(e));
                }
            }
        }

        rowStart[_nodeEnd] = children.Count;
        return new PackedLayout(kind, rowStart, [.. children], [.. weights], (double[])_value.Clone(), (double[])_effCurrent.Clone(), _mStart, _mTarget, _direction);
    }

    /// <summary>
    /// The roll-up over <see cref="PackForRollup"/>'s layout, children first; returns the top node's value. Gives the
    /// engine's values exactly (checked by the benchmark's setup).
    /// </summary>
    internal static double PackedRollupPass(PackedLayout layout)
    {
        var (kind, rowStart, children, weights, value, effective) = (layout.Kind, layout.RowStart, layout.Children, layout.Weights, layout.Values, layout.Effective);
        for (var i = kind.Length - 1; i >= 0; i--)
        {
            var k = kind[i];
            if (k == PackedLayout.Kept) continue;
            int from = rowStart[i], to = rowStart[i + 1];
            if (k == PackedLayout.Mean)
            {
                double weighted = 0, total = 0;
                for (var j = from; j < to; j++)
                {
                    var w = weights[j];
                    weighted += w * value[children[j]];
                    total += w;
                }

                value[i] = total > 0 ? weighted / total : 0;
            }
            else
            {
                var sum = 0.0;
                for (var j = from; j < to; j++) sum += effective[children[j]];
                var current = to > from ? sum : layout.MetricStart[i];
                effective[i] = current;
                value[i] = Rules.MetricRules.Clamp01(Rules.MetricRules.Attainment((MetricDirection)layout.Direction[i], layout.MetricStart[i], layout.MetricTarget[i], current));
            }
        }

        return value[0];
    }

    /// <summary>Reads a goal's value as the engine holds it (for checking a baseline's results).</summary>
    internal double ValueOf(int node) => _value[node];

    /// <summary>The arrays of <see cref="PackForRollup"/>; values and effective currents are copies the pass writes.</summary>
    internal sealed record PackedLayout(
        byte[] Kind, int[] RowStart, int[] Children, double[] Weights, double[] Values, double[] Effective,
        double[] MetricStart, double[] MetricTarget, sbyte[] Direction)
    {
        public const byte Kept = 0;
        public const byte Mean = 1;
        public const byte Sum = 2;
    }

    /// <summary>A goal's rank (its longest distance from a root), for picking benchmark targets by depth.</summary>
    internal int RankOf(string id) => _rank[_index[id]];
}
