namespace AlignmentEngine.Core.Rules;

/// <summary>The terms of one goal's children, by position in its child list: what <see cref="BlockedSummation"/> adds.</summary>
internal interface IChildTerms
{
    /// <summary>Positions in the child list.</summary>
    int Count { get; }

    /// <summary>Adds the term at <paramref name="position"/> to the two running sums, or nothing when that child does not count.</summary>
    void Add(int position, ref double a, ref double b);
}
