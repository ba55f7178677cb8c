namespace AlignmentEngine.Core;

/// <summary>
/// A measurable target. <see cref="Target"/> is absent only for milestones; <see cref="Current"/> is absent
/// until the first check-in (and always for an aggregating metric, whose current is the sum of its children).
/// For milestones, done is <c>Current = 1</c> and not done <c>Current = 0</c>.
/// </summary>
public sealed record Metric(
    MetricDirection Direction,
    double Start = 0,
    double? Target = null,
    double? Current = null,
    string? Unit = null,
    string? Key = null,
    MetricAggregate Aggregate = MetricAggregate.None)
{
    public bool Aggregates => Aggregate == MetricAggregate.Sum;
}
