using System.Runtime.CompilerServices;
using AlignmentEngine.Core;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Benchmarks;

/// <summary>
/// What the roll-up is judged against (issue 6: "within 1.5x of a plain pass over the same arrays"), and a layout
/// experiment: passes over the graph's columns, read through its read-only view. None of this is engine code.
/// </summary>
internal static class RollupBaselines
{
    /// <summary>
    /// The baseline a hand-written loop would be: one reverse pass over the same child lists, edge arrays and
    /// values, each node the weighted mean of its children (a childless node keeps its value). No states, no
    /// metrics, no overrides, no sums: the memory traffic of a roll-up and none of its rules. Writes into
    /// <paramref name="scratch"/> so the graph is untouched; returns the top node's value so the work is observable.
    /// </summary>
    public static double PlainWeightedPass(AlignmentGraph graph, double[] scratch)
    {
        var view = graph.View;
        var values = view.Values;
        var edgeChildren = view.EdgeChildren;
        var edgeWeights = view.EdgeSignedWeights;
        for (var i = view.NodeSlots - 1; i >= 0; i--)
        {
            var edges = view.ChildEdges(i);
            if (edges.Length == 0)
            {
                scratch[i] = values[i];
                continue;
            }

            // Added in the engine's order (BlockedSummation), so the baseline does the roll-up's additions.
            var terms = new PlainTerms(edges, edgeWeights, edgeChildren, scratch);
            var (weighted, weights) = BlockedSummation.Sum(ref terms);
            scratch[i] = weighted / weights;
        }

        return scratch[0];
    }

    /// <summary>
    /// A layout experiment: the roll-up's inputs repacked (docs/benchmark-log.md, "What limits"). One kind byte per
    /// node; for each node that rolls up, its children inline (child index and weight side by side; the weight is 0
    /// for a child that does not count, or is not summing in a cascaded sum, and 1 for a summing one), so the pass
    /// reads one CSR and never looks at edges, states or units; goals whose value comes from their own metric or an
    /// override keep the value the engine holds. Every child keeps its position: the engine's order of additions
    /// (BlockedSummation) groups children by position.
    /// </summary>
    public static PackedLayout Pack(AlignmentGraph graph)
    {
        var view = graph.View;
        var n = view.NodeSlots;
        var kind = new byte[n];
        var rowStart = new int[n + 1];
        var children = new List<int>(view.EdgeSlots);
        var weights = new List<double>(view.EdgeSlots);
        for (var i = 0; i < n; i++)
        {
            rowStart[i] = children.Count;
            kind[i] = !view.IsAlive(i) || view.HasOverride(i) || (view.HasMetric(i) && !view.Aggregates(i)) ? PackedLayout.Kept
                : view.HasMetric(i) ? PackedLayout.Sum : PackedLayout.Mean;
            if (kind[i] == PackedLayout.Kept) continue;
            foreach (var e in view.ChildEdges(i))
            {
                var counts = kind[i] == PackedLayout.Mean ? view.EdgeSignedWeights[e] > 0 : view.IsSumming(e);
                children.Add(view.EdgeChildren[e]);
                weights.Add(!counts ? 0 : kind[i] == PackedLayout.Mean ? view.EdgeSignedWeights[e] : 1);
            }
        }

        rowStart[n] = children.Count;
        double[] effective = new double[n], start = new double[n], target = new double[n];
        for (var i = 0; i < n; i++) (effective[i], start[i], target[i]) = (view.EffectiveCurrent(i), view.MetricStart(i), view.MetricTarget(i));
        return new PackedLayout(kind, rowStart, [.. children], [.. weights], view.Values.ToArray(), effective, start, target, view.Directions.ToArray());
    }

    /// <summary>The roll-up over <see cref="Pack"/>'s layout, children first; returns the top node's value.</summary>
    public static double PackedRollupPass(PackedLayout layout)
    {
        var (kind, rowStart, children, weights, value, effective) = (layout.Kind, layout.RowStart, layout.Children, layout.Weights, layout.Values, layout.Effective);
        for (var i = kind.Length - 1; i >= 0; i--)
        {
            var k = kind[i];
            if (k == PackedLayout.Kept) continue;
            int from = rowStart[i], to = rowStart[i + 1];
            if (k == PackedLayout.Mean)
            {
                var terms = new PackedTerms(children.AsSpan(from, to - from), weights.AsSpan(from, to - from), value);
                var (weighted, total) = BlockedSummation.Sum(ref terms);
                value[i] = total > 0 ? weighted / total : 0;
            }
            else
            {
                var terms = new PackedTerms(children.AsSpan(from, to - from), weights.AsSpan(from, to - from), effective);
                var (sum, summing) = BlockedSummation.Sum(ref terms);
                var current = summing > 0 ? sum : layout.MetricStart[i];
                effective[i] = current;
                value[i] = MetricRules.Clamp01(MetricRules.Attainment((MetricDirection)layout.Direction[i], layout.MetricStart[i], layout.MetricTarget[i], current));
            }
        }

        return value[0];
    }

    /// <summary>
    /// Throws unless the packed pass, started from values that are wrong wherever the pass must compute them,
    /// gives the engine's values exactly: a baseline that computed something else would make the ratio meaningless.
    /// </summary>
    public static void CheckPackedAgainstEngine(AlignmentGraph graph)
    {
        var layout = Pack(graph);
        for (var i = 0; i < layout.Kind.Length; i++)
        {
            if (layout.Kind[i] != PackedLayout.Kept) layout.Values[i] = 0.5;
        }

        PackedRollupPass(layout);
        var values = graph.View.Values;
        for (var i = 0; i < layout.Kind.Length; i++)
        {
            if (layout.Values[i] != values[i]) throw new InvalidOperationException($"packed layout gives {layout.Values[i]:R} for node {i}, the engine {values[i]:R}");
        }
    }

    /// <summary>The plain pass's terms: the stored weight as it is, sign and all (a hand-written pass has one weight array and nothing to undo).</summary>
    private readonly ref struct PlainTerms(ReadOnlySpan<int> edges, ReadOnlySpan<double> weights, ReadOnlySpan<int> children, double[] values) : IChildTerms
    {
        private readonly ReadOnlySpan<int> _edges = edges;
        private readonly ReadOnlySpan<double> _weights = weights;
        private readonly ReadOnlySpan<int> _children = children;

        public int Count => _edges.Length;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (double A, double B) SumRange(int from, int to)
        {
            double a = 0, b = 0;
            for (var k = from; k < to; k++)
            {
                var e = _edges[k];
                var w = _weights[e];
                a += w * values[_children[e]];
                b += w;
            }

            return (a, b);
        }
    }

    /// <summary>A packed row's terms: weight times the child's value (or effective current), and the weight; nothing where the weight is 0.</summary>
    private readonly ref struct PackedTerms(ReadOnlySpan<int> children, ReadOnlySpan<double> weights, double[] values) : IChildTerms
    {
        private readonly ReadOnlySpan<int> _children = children;
        private readonly ReadOnlySpan<double> _weights = weights;

        public int Count => _children.Length;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (double A, double B) SumRange(int from, int to)
        {
            double a = 0, b = 0;
            for (var k = from; k < to; k++)
            {
                var w = _weights[k];
                if (w == 0) continue; // a child that does not count (its value may be NaN: a goal without metric has no effective current)
                a += w * values[_children[k]];
                b += w;
            }

            return (a, b);
        }
    }

    /// <summary>The arrays of <see cref="Pack"/>; values and effective currents are copies the pass writes.</summary>
    internal sealed record PackedLayout(
        byte[] Kind, int[] RowStart, int[] Children, double[] Weights, double[] Values, double[] Effective,
        double[] MetricStart, double[] MetricTarget, sbyte[] Direction)
    {
        public const byte Kept = 0;
        public const byte Mean = 1;
        public const byte Sum = 2;
    }
}
