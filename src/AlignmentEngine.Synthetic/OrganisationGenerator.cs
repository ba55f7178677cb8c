using AlignmentEngine.Core;

namespace AlignmentEngine.Synthetic;

/// <summary>
/// Synthetic organisations for benchmarks, demos and analysts' what-if runs (<c>okr generate</c>): a company,
/// its departments, their teams and the people in them, each with an objective and 3–5 key results. Seeded and
/// pure: the same size and seed always give an equal tree, on every machine.
/// </summary>
/// <remarks>
/// <para>The tree has exactly the number of goals asked for: the organisation is grown unit by unit (an
/// objective with its key results) until the budget is spent, so the last department or team is smaller than
/// the others.</para>
/// <para>Ids follow the organisation: <c>C1</c>, <c>C1.KR2</c>, <c>D3</c>, <c>D3.T2</c>, <c>D3.T2.P5.KR1</c>. An
/// individual's key result sits at depth 7 (company objective 0, company key result 1, department 2, ...).</para>
/// <para>The tree is valid (no error findings) and carries a realistic sprinkling of warnings: orphans below
/// archived team objectives, period mismatches of people planning the next quarter, shared metric keys with
/// conflicting targets, cascaded revenue sums in <see cref="CashUnit"/> (some planned short of their target,
/// a few children reporting in the wrong unit), and excluded goals (drafts, cancelled key results).</para>
/// </remarks>
public static class OrganisationGenerator
{
    /// <summary>Smaller trees cannot hold the company level and one department.</summary>
    public const int MinimumGoals = 100;

    public const int MaximumGoals = 20_000_000;

    /// <summary>The unit of every cascaded (summed) revenue key result.</summary>
    public const string CashUnit = "k$";

    /// <summary>The date generated trees state as their <c>as_of</c>: inside the fourth quarter they plan for.</summary>
    public static DateOnly AsOf { get; } = new(2026, 11, 15);

    /// <summary>Generates an organisation of exactly <paramref name="goals"/> goals.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="goals"/> is outside [<see cref="MinimumGoals"/>, <see cref="MaximumGoals"/>].</exception>
    public static GoalTree Generate(int goals, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(goals, MinimumGoals);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(goals, MaximumGoals);
        var drafts = new OrganisationBuilder(goals, seed).Grow();
        var definitions = new GoalDefinition[drafts.Count];
        for (var i = 0; i < drafts.Count; i++) definitions[i] = drafts[i].Freeze();
        return new GoalTree
        {
            Goals = definitions,
            Periods = Periods(),
            DefaultPeriod = PeriodRef.Named(OrganisationBuilder.Year),
            AsOf = AsOf,
        };
    }

    private static Dictionary<string, Period> Periods() => new(StringComparer.Ordinal)
    {
        [OrganisationBuilder.Year] = new(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)),
        [OrganisationBuilder.Half] = new(new DateOnly(2026, 7, 1), new DateOnly(2026, 12, 31)),
        [OrganisationBuilder.PastQuarter] = new(new DateOnly(2026, 7, 1), new DateOnly(2026, 9, 30)),
        [OrganisationBuilder.Quarter] = new(new DateOnly(2026, 10, 1), new DateOnly(2026, 12, 31)),
        [OrganisationBuilder.NextQuarter] = new(new DateOnly(2027, 1, 1), new DateOnly(2027, 3, 31)),
    };
}
