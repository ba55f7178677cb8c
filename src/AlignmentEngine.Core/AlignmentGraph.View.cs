namespace AlignmentEngine.Core;

public sealed partial class AlignmentGraph
{
    /// <summary>The graph's columns, read-only: for code outside the engine that reads them whole (the benchmarks' baselines).</summary>
    internal GraphView View => new(this);

    /// <summary>Read-only access to the node and edge columns by index; nothing written through it.</summary>
    internal readonly struct GraphView(AlignmentGraph graph)
    {
        /// <summary>Node slots in use (live or free), the extent every full pass covers.</summary>
        public int NodeSlots => graph._nodes.End;

        /// <summary>Edge slots in use (live or free).</summary>
        public int EdgeSlots => graph._edges.End;

        public bool IsAlive(int node) => graph.IsAlive(node);

        public bool IsCounted(int node) => graph.IsCounted(node);

        public bool HasMetric(int node) => graph.HasMetric(node);

        public bool Aggregates(int node) => graph._nodes.Aggregates[node];

        public bool HasOverride(int node) => !double.IsNaN(graph._nodes.Progress[node].Override);

        public ReadOnlySpan<double> Values => graph._nodes.Value.AsSpan(0, graph._nodes.End);

        public double EffectiveCurrent(int node) => graph._nodes.Progress[node].EffectiveCurrent;

        public double MetricStart(int node) => graph._nodes.Metric[node].Start;

        public double MetricTarget(int node) => graph._nodes.Metric[node].Target;

        public ReadOnlySpan<sbyte> Directions => graph._nodes.Direction.AsSpan(0, graph._nodes.End);

        /// <summary>The edges to <paramref name="node"/>'s children.</summary>
        public ReadOnlySpan<int> ChildEdges(int node) => graph._childEdges.Items(node);

        /// <summary>The edges to <paramref name="node"/>'s parents, the primary parent's first.</summary>
        public ReadOnlySpan<int> ParentEdges(int node) => graph._parentEdges.Items(node);

        public ReadOnlySpan<int> EdgeChildren => graph._edges.Child.AsSpan(0, graph._edges.End);

        public ReadOnlySpan<int> EdgeParents => graph._edges.Parent.AsSpan(0, graph._edges.End);

        /// <summary>Each edge's weight, negative when the edge does not count toward its parent (AlignmentGraph.EdgeWeights.cs).</summary>
        public ReadOnlySpan<double> EdgeSignedWeights => graph._edges.SignedWeight.AsSpan(0, graph._edges.End);

        /// <summary>Whether the edge is a summing child's of the aggregating parent: contributing, counted, in its unit.</summary>
        public bool IsSumming(int edge) => graph.IsSumming(edge, graph._edges.Child[edge], graph._edges.Parent[edge]);

        /// <summary>A goal's rank: its longest distance from a root.</summary>
        public int RankOf(string id) => graph._nodes.Rank[graph._index[id]];
    }
}
