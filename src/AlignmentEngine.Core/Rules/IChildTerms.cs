namespace AlignmentEngine.Core.Rules;

/// <summary>The terms of one goal's children, by position in its child list: what <see cref="BlockedSummation"/> adds.</summary>
internal interface IChildTerms
{
    /// <summary>Positions in the child list.</summary>
    int Count { get; }

    /// <summary>
    /// The two sums (A and B) of the terms at positions [<paramref name="from"/>, <paramref name="to"/>), added left to
    /// right from 0; a position whose child does not count adds nothing. Each kind of term writes this loop itself,
    /// with its running sums in registers: it is the innermost loop of every roll-up.
    /// </summary>
    (double A, double B) SumRange(int from, int to);
}
