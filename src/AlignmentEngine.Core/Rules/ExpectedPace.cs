using AlignmentEngine.Core.Graph;

namespace AlignmentEngine.Core.Rules;

/// <summary>
/// <see cref="PaceRules.Expected(int, int, int)"/> at one date for many goals in a row, on the node table's day
/// numbers: the goals of a change result mostly share their period, so the division is made again only when the
/// period differs from the previous goal's.
/// </summary>
internal struct ExpectedPace(DateOnly asOf)
{
    private int _start = NodeTable.NoDay;
    private int _end;
    private double _expected;

    /// <summary>The day number of the date.</summary>
    public readonly int AsOfDay => asOf.DayNumber;

    /// <summary>The expected pace of the period from <paramref name="startDay"/> to <paramref name="endDay"/>; 0 for none (health does not read it then).</summary>
    public double Of(int startDay, int endDay)
    {
        if (startDay == NodeTable.NoDay) return 0;
        if (startDay != _start || endDay != _end)
        {
            (_start, _end, _expected) = (startDay, endDay, PaceRules.Expected(startDay, endDay, asOf.DayNumber));
        }

        return _expected;
    }
}
