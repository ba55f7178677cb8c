using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core.Rules;

/// <summary>Expected pace and health (semantics.md, "Periods, pace and health").</summary>
internal static class PaceRules
{
    /// <summary>
    /// The slack of the tolerance comparisons (rules 5 and 6): a difference such as 0.8 − 0.7, which binary floating
    /// point makes 0.10000000000000009, is judged as the 0.1 that decimal arithmetic and any reader would see.
    /// </summary>
    public const double ToleranceSlack = 1e-9;

    /// <summary>clamp(elapsed / total, 0, 1) with elapsed = as_of − start and total = end − start + 1, in whole days.</summary>
    public static double Expected(Period period, DateOnly asOf) => Expected(period.Start.DayNumber, period.End.DayNumber, asOf.DayNumber);

    /// <summary>The same on day numbers.</summary>
    public static double Expected(int startDay, int endDay, int asOfDay)
    {
        double elapsed = asOfDay - startDay;
        return Math.Clamp(elapsed / (endDay - startDay + 1), 0, 1);
    }

    /// <summary>The first rule of the health table that applies.</summary>
    public static Health Health(bool counted, Period? period, double value, DateOnly asOf, AlignmentSettings settings) =>
        Health(counted, period, value, period is { } p ? Expected(p, asOf) : 0, asOf, settings);

    /// <summary>The same, with <paramref name="expected"/> (<see cref="Expected(Period, DateOnly)"/> of the period) computed by the caller once for several values.</summary>
    public static Health Health(bool counted, Period? period, double value, double expected, DateOnly asOf, AlignmentSettings settings) =>
        Health(counted, period?.Start.DayNumber ?? NodeTable.NoDay, value, expected, asOf.DayNumber, settings);

    /// <summary>
    /// The same on day numbers (<see cref="NodeTable.NoDay"/>: no period), as the node table holds them: a change
    /// result judges many goals without making a <see cref="Period"/> of each.
    /// </summary>
    public static Health Health(bool counted, int startDay, double value, double expected, int asOfDay, AlignmentSettings settings)
    {
        if (!counted) return Core.Health.Inactive;
        if (startDay == NodeTable.NoDay) return Core.Health.NoPeriod;
        if (asOfDay < startDay) return Core.Health.NotStarted;
        if (value >= 1) return Core.Health.Achieved;
        var behind = expected - value;
        if (behind <= settings.OnTrackTolerance + ToleranceSlack) return Core.Health.OnTrack;
        return behind <= settings.AtRiskTolerance + ToleranceSlack ? Core.Health.AtRisk : Core.Health.OffTrack;
    }
}
