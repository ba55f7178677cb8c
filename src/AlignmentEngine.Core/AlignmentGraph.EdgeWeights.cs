namespace AlignmentEngine.Core;

/// <summary>
/// An edge's weight is stored with a sign: positive when the edge counts toward its parent's weighted mean (it
/// contributes and its child is counted), negative otherwise. Weights are always &gt; 0, so the sign is free, and
/// the roll-up's inner loop reads one array per edge instead of testing <c>_edges.Contributes</c> and the child's
/// state. The sign is kept in step wherever either changes: building, linking, and a goal's state changing.
/// </summary>
public sealed partial class AlignmentGraph
{
    private double EdgeWeight(int edge) => _edges.Weight(edge);

    private bool EdgeCounts(int edge) => _edges.Counts(edge);

    private static double SignedWeight(double weight, bool contributes, bool childCounted) =>
        contributes && childCounted ? weight : -weight;

    /// <summary>Re-signs the edges to <paramref name="child"/>'s parents after its state was written.</summary>
    private void SignParentEdges(int child)
    {
        var counted = IsCounted(child);
        foreach (var e in _parentEdges.Items(child))
        {
            var signed = SignedWeight(EdgeWeight(e), _edges.Contributes[e], counted);
            if (signed.Equals(_edges.SignedWeight[e])) continue;
            _journal.SetEdgeWeight(e, signed);
        }
    }
}
