namespace AlignmentEngine.Core;

/// <summary>
/// A whole goal tree as a document states it: the goals in document order, the named periods, the
/// default period and the settings. Nothing here is validated yet; <c>AlignmentGraph.Build</c> does that.
/// </summary>
public sealed record GoalTree
{
    public IReadOnlyList<GoalDefinition> Goals { get; init; } = [];

    /// <summary>Periods declared at document level, by name (ordinal).</summary>
    public IReadOnlyDictionary<string, Period> Periods { get; init; } = new Dictionary<string, Period>(StringComparer.Ordinal);

    /// <summary>The period of goals that resolve none through their primary parents.</summary>
    public PeriodRef? DefaultPeriod { get; init; }

    public AlignmentSettings Settings { get; init; } = AlignmentSettings.Default;

    /// <summary>The date the document asks to be evaluated at, if it names one.</summary>
    public DateOnly? AsOf { get; init; }
}
