namespace AlignmentEngine.Core.Graph;

/// <summary>
/// A period as the node table keeps it: its first and last day numbers side by side, so that reading a goal's period
/// costs one cache line, not one in each of two columns (a wave reaches goals scattered over a million rows, and a
/// change result reads every changed goal's period for its health). <see cref="Start"/> is
/// <see cref="NodeTable.NoDay"/> when there is none.
/// </summary>
internal readonly record struct DayRange(int Start, int End)
{
    public static readonly DayRange None = new(NodeTable.NoDay, NodeTable.NoDay);

    public Period? ToPeriod() => Start == NodeTable.NoDay ? null : new Period(DateOnly.FromDayNumber(Start), DateOnly.FromDayNumber(End));
}
