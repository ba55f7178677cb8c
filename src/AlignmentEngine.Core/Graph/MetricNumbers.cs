namespace AlignmentEngine.Core.Graph;

/// <summary>
/// A goal's metric as the node table keeps it: start, target and current side by side in one 24-byte cell, so that
/// evaluating a key result reads one cache line (two where a cell straddles a line), not one in each of three
/// columns. The upward wave and the check-ins of a large change set reach goals scattered over a million rows, where
/// every line is a miss. Target and current are NaN when the goal states none; a goal without a metric (its
/// direction <see cref="NodeTable.NoMetric"/>) holds start 0.
/// </summary>
internal struct MetricNumbers
{
    public double Start;
    public double Target;
    public double Current;
}
