namespace AlignmentEngine.Core.Tests;

/// <summary>
/// The engine's order of additions written out the plain way, independent of the engine's code: positions in
/// child-list order; up to 16 summed left to right from 0 (a position without a term adds nothing); more cut into
/// consecutive groups of 16, each summed so, and the group sums summed by the same rule.
/// </summary>
internal static class BlockedReference
{
    public static (double A, double B) Sum(IReadOnlyList<(double A, double B)?> terms)
    {
        if (terms.Count <= 16) return LeftToRight(terms);
        return Sum([.. terms.Chunk(16).Select(group => ((double, double)?)LeftToRight(group))]);
    }

    public static (double A, double B) LeftToRight(IEnumerable<(double A, double B)?> terms)
    {
        double a = 0, b = 0;
        foreach (var term in terms)
        {
            if (term is not { } t) continue;
            a += t.A;
            b += t.B;
        }

        return (a, b);
    }

    /// <summary>
    /// Every goal whose value comes from its children holds, bit for bit, the rule applied to its children as they
    /// stand, in its child list's order: a weighted mean's value, a cascaded sum's effective current. Checked goal by
    /// goal, this is what a full recomputation over the same child lists gives.
    /// </summary>
    public static void ShouldHoldTheBlockedSumsOfTheirChildren(this AlignmentGraph graph, string because)
    {
        var view = graph.View;
        for (var i = 0; i < view.NodeSlots; i++)
        {
            if (!view.IsAlive(i)) continue;
            var terms = new List<(double A, double B)?>();
            foreach (var e in view.ChildEdges(i))
            {
                var (w, c) = (view.EdgeSignedWeights[e], view.EdgeChildren[e]);
                if (view.Aggregates(i)) terms.Add(view.IsSumming(e) ? (view.EffectiveCurrent(c), 1) : null);
                else terms.Add(w > 0 ? (w * view.Values[c], w) : null);
            }

            var (a, b) = Sum(terms);
            if (view.Aggregates(i))
            {
                Bits(view.EffectiveCurrent(i)).Should().Be(Bits(b > 0 ? a : view.MetricStart(i)), $"the cascaded sum of node {i} ({terms.Count} children), {because}");
            }
            else if (!view.HasMetric(i) && !view.HasOverride(i))
            {
                Bits(view.Values[i]).Should().Be(Bits(b > 0 ? a / b : 0), $"the weighted mean of node {i} ({terms.Count} children), {because}");
            }
        }
    }

    /// <summary>Every goal's progress and attainment, as bits, in id order.</summary>
    public static List<string> ProgressBits(this AlignmentGraph graph, DateOnly asOf) =>
        [.. graph.Rollup(asOf).Goals.Select(g => $"{g.Id} {Bits(g.Progress)} {Bits(g.Attainment)} {g.Health}")];

    public static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
