using System.Buffers;
using System.Runtime.CompilerServices;

namespace AlignmentEngine.Core.Rules;

/// <summary>
/// The order in which the engine adds up a goal's children (semantics.md fixes the weighted mean and the cascaded
/// sum, not the order of their additions; floating-point addition is not associative, so the engine defines one):
/// the terms are taken in child-list order, by position. Up to <see cref="GroupSize"/> positions are summed left to
/// right from 0. More are cut into consecutive groups of <see cref="GroupSize"/> positions (the last may be shorter),
/// each group summed left to right from 0, and the group sums are summed by the same rule, recursively. A child that
/// does not count has a position but adds nothing (adding nothing and adding +0.0 to a sum started at +0.0 are the
/// same). The rule lets a wide parent keep its group sums and re-sum one group when one child changes
/// (<see cref="Graph.GroupSums"/>) while every full pass, adding everything afresh, gets the same bits.
/// </summary>
internal static class BlockedSummation
{
    public const int GroupSize = 16;

    /// <summary>How many groups of <see cref="GroupSize"/> cover <paramref name="count"/> positions.</summary>
    public static int GroupCount(int count) => (count + GroupSize - 1) / GroupSize;

    /// <summary>The two sums of every term (A and B: the weighted values and the weights, or a cascaded sum and its count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double A, double B) Sum<T>(ref T terms)
        where T : IChildTerms, allows ref struct =>
        terms.Count <= GroupSize ? terms.SumRange(0, terms.Count) : SumInGroups(ref terms);

    /// <summary>
    /// The two sums of more than <see cref="GroupSize"/> terms, in groups (apart from <see cref="Sum"/>, which every
    /// node of a full pass calls: the few wide parents pay for the scratch space, not every call).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    private static (double A, double B) SumInGroups<T>(ref T terms)
        where T : IChildTerms, allows ref struct
    {
        var count = terms.Count;
        var groups = GroupCount(count);
        double[]? rented = null;
        // On the stack up to 64 groups and not cleared (SkipInit): every pair is written before it is read, and
        // this runs for every parent of more than 16 children in a full pass and in the wave. A fixed buffer rather
        // than stackalloc, which would keep the method from being recompiled with the runtime's profile.
        Unsafe.SkipInit(out StackPairs onStack);
        var pairs = groups <= StackPairs.Groups ? ((Span<double>)onStack)[..(2 * groups)] : (rented = ArrayPool<double>.Shared.Rent(2 * groups));
        for (var g = 0; g < groups; g++)
        {
            var from = g * GroupSize;
            (pairs[2 * g], pairs[(2 * g) + 1]) = terms.SumRange(from, Math.Min(count, from + GroupSize));
        }

        var total = Reduce(pairs, groups);
        if (rented is not null) ArrayPool<double>.Shared.Return(rented);
        return total;
    }

    /// <summary>Room for the (A, B) pairs of up to <see cref="Groups"/> groups, on the stack.</summary>
    [InlineArray(2 * Groups)]
    private struct StackPairs
    {
        public const int Groups = 64;

        private double _first;
    }

    /// <summary>
    /// The total of <paramref name="count"/> group sums stored as (A, B) pairs, by the rule (overwrites them): while
    /// more than <see cref="GroupSize"/>, each run of <see cref="GroupSize"/> is replaced by its sum; then the rest
    /// left to right.
    /// </summary>
    public static (double A, double B) Reduce(Span<double> pairs, int count)
    {
        while (count > GroupSize)
        {
            var next = GroupCount(count);
            for (var g = 0; g < next; g++)
            {
                var from = g * GroupSize;
                (pairs[2 * g], pairs[(2 * g) + 1]) = SumPairs(pairs, from, Math.Min(count, from + GroupSize));
            }

            count = next;
        }

        return SumPairs(pairs, 0, count);
    }

    /// <summary>The pairs [<paramref name="from"/>, <paramref name="to"/>), left to right from 0.</summary>
    public static (double A, double B) SumPairs(ReadOnlySpan<double> pairs, int from, int to)
    {
        double a = 0, b = 0;
        for (var k = from; k < to; k++)
        {
            a += pairs[2 * k];
            b += pairs[(2 * k) + 1];
        }

        return (a, b);
    }
}
