namespace AlignmentEngine.Core.Rules;

/// <summary>
/// <see cref="PaceRules.Expected"/> at one date for many goals in a row: the goals of a change result mostly share
/// their period, so the division is made again only when the period differs from the previous goal's.
/// </summary>
internal struct ExpectedPace(DateOnly asOf)
{
    private Period _period;
    private double _expected;
    private bool _known;

    /// <summary>The expected pace of <paramref name="period"/> at the date; 0 for none (health does not read it then).</summary>
    public double Of(Period? period)
    {
        if (period is not { } p) return 0;
        if (!_known || p != _period)
        {
            (_period, _expected, _known) = (p, PaceRules.Expected(p, asOf), true);
        }

        return _expected;
    }
}
