namespace AlignmentEngine.Core;

/// <summary>A span of whole days, both ends inclusive. Valid when <see cref="Start"/> is not after <see cref="End"/>.</summary>
public readonly record struct Period(DateOnly Start, DateOnly End)
{
    public bool IsValid => Start <= End;

    /// <summary>Whole days in the period, both ends counted (the spec's <c>total</c>).</summary>
    public int Days => End.DayNumber - Start.DayNumber + 1;

    public bool Contains(Period other) => other.Start >= Start && other.End <= End;

    public bool Overlaps(Period other) => other.Start <= End && other.End >= Start;

    public override string ToString() => $"{Start:yyyy-MM-dd}..{End:yyyy-MM-dd}";
}

/// <summary>
/// A goal's or a document's period as written: either explicit dates or the name of a period declared
/// at document level. Names are resolved against the graph's period catalogue.
/// </summary>
public sealed record PeriodRef
{
    private PeriodRef(Period? range, string? name)
    {
        Range = range;
        Name = name;
    }

    public Period? Range { get; }

    public string? Name { get; }

    public static PeriodRef Of(Period range) => new(range, null);

    public static PeriodRef Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(null, name);
    }

    public override string ToString() => Name ?? Range!.Value.ToString();
}
