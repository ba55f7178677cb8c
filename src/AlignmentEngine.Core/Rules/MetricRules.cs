namespace AlignmentEngine.Core.Rules;

/// <summary>The metric table of semantics.md: validity, progress and attainment of one metric.</summary>
internal static class MetricRules
{
    /// <summary>Why a metric (or an override) breaks the spec, or null when it is valid.</summary>
    public static string? Problem(Metric? metric, double? progressOverride)
    {
        if (progressOverride is { } o && !(o >= 0 && o <= 1))
        {
            return $"progress_override {Format(o)} is outside [0, 1]";
        }

        if (metric is null) return null;
        if (!double.IsFinite(metric.Start)) return $"start {Format(metric.Start)} is not a finite number";
        if (metric.Target is { } t && !double.IsFinite(t)) return $"target {Format(t)} is not a finite number";
        if (metric.Current is { } c && !double.IsFinite(c)) return $"current {Format(c)} is not a finite number";
        if (metric.Aggregates && metric.Current is not null)
        {
            return "an aggregating metric takes its current value from its children and must not set current";
        }

        return metric.Direction switch
        {
            MetricDirection.Increase when metric.Target is not { } target => "an increase metric needs a target",
            MetricDirection.Increase when !(metric.Target > metric.Start) =>
                $"an increase metric needs target > start (start {Format(metric.Start)}, target {Format(metric.Target!.Value)})",
            MetricDirection.Decrease when metric.Target is null => "a decrease metric needs a target",
            MetricDirection.Decrease when !(metric.Target < metric.Start) =>
                $"a decrease metric needs target < start (start {Format(metric.Start)}, target {Format(metric.Target!.Value)})",
            MetricDirection.AtLeast or MetricDirection.AtMost when metric.Target is null =>
                $"an {Name(metric.Direction)} metric needs a target",
            MetricDirection.Milestone when metric.Aggregates => "a milestone cannot aggregate",
            MetricDirection.Milestone when metric.Current is { } m && m is not (0 or 1) =>
                $"a milestone's current must be 0 (not done) or 1 (done), not {Format(m)}",
            _ => null,
        };
    }

    /// <summary>
    /// Why a check-in value cannot be recorded on a valid metric, or null. Start and target were checked when the
    /// metric was set, so only the value itself is in question: on the hot path of check-ins, nothing is allocated.
    /// </summary>
    public static string? CheckInProblem(bool hasMetric, MetricDirection direction, bool aggregates, double value)
    {
        if (!hasMetric) return "the goal has no metric to check in against";
        if (aggregates) return "the goal's metric aggregates its children's values and takes no check-ins";
        if (!double.IsFinite(value)) return $"current {Format(value)} is not a finite number";
        return direction == MetricDirection.Milestone && value is not (0 or 1)
            ? $"a milestone's current must be 0 (not done) or 1 (done), not {Format(value)}"
            : null;
    }

    /// <summary>Why an alignment weight is invalid, or null.</summary>
    public static string? WeightProblem(double weight) =>
        double.IsFinite(weight) && weight > 0 ? null : $"weight {Format(weight)} must be a finite number > 0";

    /// <summary>
    /// The ratio before clamping. <paramref name="current"/> is the effective current: a check-in, the sum of the
    /// children for aggregating metrics, or NaN when there is none (then increase/decrease read it as start).
    /// </summary>
    public static double Attainment(MetricDirection direction, double start, double target, double current) => direction switch
    {
        MetricDirection.Increase => ((double.IsNaN(current) ? start : current) - start) / (target - start),
        MetricDirection.Decrease => (start - (double.IsNaN(current) ? start : current)) / (start - target),
        MetricDirection.AtLeast => !double.IsNaN(current) && current >= target ? 1 : 0,
        MetricDirection.AtMost => !double.IsNaN(current) && current <= target ? 1 : 0,
        MetricDirection.Milestone => double.IsNaN(current) ? 0 : current,
        _ => throw new ArgumentOutOfRangeException(nameof(direction)),
    };

    public static double Clamp01(double value) => Math.Clamp(value, 0, 1);

    private static string Name(MetricDirection d) => d == MetricDirection.AtLeast ? "at_least" : "at_most";

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
