using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlignmentEngine.Core.Rules;

namespace AlignmentEngine.Core.Graph;

/// <summary>
/// A weighted mean's terms: at each position of the child list, the edge's weight times the child's value (A) and
/// the weight (B), when the edge counts (positive signed weight: contributing, child counted); nothing otherwise.
/// </summary>
internal readonly ref struct WeightedChildTerms : IChildTerms
{
    private readonly ReadOnlySpan<int> _edges;
    private readonly double[] _signedWeights;
    private readonly int[] _children;
    private readonly double[] _values;

    public WeightedChildTerms(ReadOnlySpan<int> childEdges, EdgeTable edges, double[] values)
    {
        _edges = childEdges;
        _signedWeights = edges.SignedWeight;
        _children = edges.Child;
        _values = values;
    }

    public int Count => _edges.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (double A, double B) SumRange(int from, int to)
    {
        // Without bounds checks: every item of a child list is a live edge, and every live edge's child a node of the
        // table, so each index is inside its array (the hottest loop of a check-in and of the full roll-up).
        ref var edges = ref MemoryMarshal.GetReference(_edges);
        ref var signedWeights = ref MemoryMarshal.GetArrayDataReference(_signedWeights);
        ref var children = ref MemoryMarshal.GetArrayDataReference(_children);
        ref var values = ref MemoryMarshal.GetArrayDataReference(_values);
        double a = 0, b = 0;
        for (var k = from; k < to; k++)
        {
            var e = Unsafe.Add(ref edges, k);
            var w = Unsafe.Add(ref signedWeights, e);
            if (w > 0)
            {
                a += w * Unsafe.Add(ref values, Unsafe.Add(ref children, e));
                b += w;
            }
        }

        return (a, b);
    }
}

/// <summary>
/// A cascaded sum's terms: at each position of the child list, the child's effective current (A) and 1 (B, so B
/// counts the summing children) when the child is summing (<see cref="NodeTable.IsSumming"/>); nothing otherwise.
/// </summary>
internal readonly ref struct CascadedChildTerms : IChildTerms
{
    private readonly ReadOnlySpan<int> _edges;
    private readonly NodeTable _nodes;
    private readonly EdgeTable _edgeTable;
    private readonly int _parent;

    public CascadedChildTerms(ReadOnlySpan<int> childEdges, NodeTable nodes, EdgeTable edges, int parent)
    {
        _edges = childEdges;
        _nodes = nodes;
        _edgeTable = edges;
        _parent = parent;
    }

    public int Count => _edges.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public (double A, double B) SumRange(int from, int to)
    {
        // The columns in locals: read through the tables at every child, they are loaded again at every child.
        var edges = _edges;
        var (nodes, edgeTable, parent) = (_nodes, _edgeTable, _parent);
        var (children, progress) = (edgeTable.Child, nodes.Progress);
        double a = 0, b = 0;
        for (var k = from; k < to; k++)
        {
            var e = edges[k];
            var c = children[e];
            if (!nodes.IsSumming(edgeTable, e, c, parent)) continue;
            a += progress[c].EffectiveCurrent;
            b += 1;
        }

        return (a, b);
    }
}
