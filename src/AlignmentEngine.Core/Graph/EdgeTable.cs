namespace AlignmentEngine.Core.Graph;

/// <summary>
/// The alignments' columns, indexed by edge: child → parent, its weight and whether it contributes. A free edge
/// has child -1. Inside a change set every write goes through <see cref="ChangeJournal"/>, which saves first.
/// </summary>
internal sealed class EdgeTable(int capacity)
{
    public int[] Parent = LargePages.Allocate<int>(capacity);
    public int[] Child = LargePages.Allocate<int>(capacity);

    // Negative when the edge does not count toward its parent: AlignmentGraph.EdgeWeights.cs.
    public double[] SignedWeight = LargePages.Allocate<double>(capacity);
    public bool[] Contributes = LargePages.Allocate<bool>(capacity);

    /// <summary>Slots in use, live or free.</summary>
    public int End { get; set; }

    /// <summary>Free slots below <see cref="End"/>, reused before the table grows.</summary>
    public Stack<int> Free { get; } = new();

    /// <summary>The weight as stated.</summary>
    public double Weight(int edge) => Math.Abs(SignedWeight[edge]);

    /// <summary>Whether the edge counts toward its parent: contributing, with a counted child.</summary>
    public bool Counts(int edge) => SignedWeight[edge] > 0;

    public void EnsureCapacity(int needed)
    {
        if (Child.Length >= needed) return;
        var size = Math.Max(needed, Child.Length * 2);
        LargePages.Grow(ref Parent, size);
        LargePages.Grow(ref Child, size);
        LargePages.Grow(ref SignedWeight, size);
        LargePages.Grow(ref Contributes, size);
    }

    /// <summary>Asks again for 2 MB pages under every large column (<see cref="LargePages"/>).</summary>
    public void BackWithLargePages()
    {
        LargePages.TryBack(Parent);
        LargePages.TryBack(Child);
        LargePages.TryBack(SignedWeight);
        LargePages.TryBack(Contributes);
    }

    public EdgeRow Read(int e) => new(Parent[e], Child[e], SignedWeight[e], Contributes[e]);

    public void Write(int e, in EdgeRow row)
    {
        Parent[e] = row.Parent;
        Child[e] = row.Child;
        SignedWeight[e] = row.SignedWeight;
        Contributes[e] = row.Contributes;
    }
}

/// <summary>One edge's columns, as the change journal saves them.</summary>
internal readonly record struct EdgeRow(int Parent, int Child, double SignedWeight, bool Contributes);
