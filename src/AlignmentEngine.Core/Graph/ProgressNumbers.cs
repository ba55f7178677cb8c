namespace AlignmentEngine.Core.Graph;

/// <summary>
/// What evaluating a goal reads and writes beside its value, side by side in one 24-byte cell: its stated progress
/// override (NaN: none), and its derived attainment and effective current (NaN for a goal without a metric). Every
/// goal the upward wave recomputes reads the override and compares and writes the other two: one cache line (two
/// where a cell straddles a line) instead of one in each of three columns. The value itself keeps a column of its
/// own, read by every parent's weighted mean and swept whole by the full roll-up.
/// </summary>
internal struct ProgressNumbers
{
    public double Override;
    public double Attainment;
    public double EffectiveCurrent;
}
