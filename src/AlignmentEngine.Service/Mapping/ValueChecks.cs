namespace AlignmentEngine.Service.Mapping;

/// <summary>
/// Values in a change that are wrong whatever the tenant holds: a number that is not finite, a weight that is not
/// above 0, an override outside [0, 1]. Each is a field violation naming the request's own field (INVALID_ARGUMENT),
/// found before the tenant is touched. What only the tenant's state makes wrong (a cycle, an unknown parent, a
/// check-in a goal's metric refuses) stays with the core, which answers it as an error finding (FAILED_PRECONDITION).
/// Whole trees (ValidateTree, ImportTree) are not checked here: their findings are the answer the spec defines.
/// </summary>
internal static class ValueChecks
{
    /// <summary>The longest title, in characters.</summary>
    public const int MaxTitleLength = 500;

    /// <summary>The longest owner, in characters.</summary>
    public const int MaxOwnerLength = 200;

    /// <summary>The longest tag, in characters.</summary>
    public const int MaxTagLength = 100;

    /// <summary>The most tags on one goal.</summary>
    public const int MaxTags = 50;

    /// <summary>The documented length limits of a goal's strings, wherever a goal comes from.</summary>
    public static void Strings(Api.V1.Goal goal, string field, FieldViolations violations)
    {
        Length(goal.Title, MaxTitleLength, field + ".title", violations);
        Length(goal.Owner, MaxOwnerLength, field + ".owner", violations);
        if (goal.Tags.Count > MaxTags) violations.Add(field + ".tags", $"at most {MaxTags} tags, not {goal.Tags.Count}");
        for (var k = 0; k < goal.Tags.Count; k++) Length(goal.Tags[k], MaxTagLength, $"{field}.tags[{k}]", violations);
    }

    /// <summary>A goal upserted by a change: its override, metric numbers and weights.</summary>
    public static void Goal(Api.V1.Goal goal, string field, FieldViolations violations)
    {
        if (goal.HasProgressOverride) Override(goal.ProgressOverride, field + ".progress_override", violations);
        if (goal.Metric is { } metric)
        {
            Finite(metric.Start, field + ".metric.start", violations);
            if (metric.HasTarget) Finite(metric.Target, field + ".metric.target", violations);
            if (metric.HasCurrent) Finite(metric.Current, field + ".metric.current", violations);
        }

        for (var k = 0; k < goal.Parents.Count; k++) Link(goal.Parents[k], $"{field}.parents[{k}]", violations);
    }

    public static void Link(Api.V1.ParentLink link, string field, FieldViolations violations)
    {
        if (link.HasWeight) Weight(link.Weight, field + ".weight", violations);
    }

    public static void Weight(double weight, string field, FieldViolations violations)
    {
        if (!(double.IsFinite(weight) && weight > 0)) violations.Add(field, $"a weight must be a finite number > 0, not {Format(weight)}");
    }

    public static void Override(double value, string field, FieldViolations violations)
    {
        if (!(value >= 0 && value <= 1)) violations.Add(field, $"must be in [0, 1], not {Format(value)}");
    }

    public static void Finite(double value, string field, FieldViolations violations)
    {
        if (!double.IsFinite(value)) violations.Add(field, $"must be a finite number, not {Format(value)}");
    }

    private static void Length(string value, int max, string field, FieldViolations violations)
    {
        if (value.Length > max) violations.Add(field, $"at most {max} characters, not {value.Length}");
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
