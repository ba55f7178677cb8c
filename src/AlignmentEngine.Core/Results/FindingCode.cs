namespace AlignmentEngine.Core;

/// <summary>Stable finding codes (semantics.md, "Findings"). Tools match on <see cref="FindingCodes.Name"/>.</summary>
public enum FindingCode
{
    DuplicateId,
    UnknownParent,
    DuplicateAlignment,
    AlignmentCycle,
    InvalidMetric,
    InvalidWeight,
    InvalidPeriod,
    OrphanedGoal,
    ExcludedParent,
    PeriodMismatch,
    LevelInversion,
    ConflictingMetrics,
    UnsupportedGoal,
    UnitMismatch,
    TargetShortfall,
    OverloadedOwner,
}

public static class FindingCodes
{
    private static readonly string[] Names =
    [
        "DUPLICATE_ID", "UNKNOWN_PARENT", "DUPLICATE_ALIGNMENT", "ALIGNMENT_CYCLE", "INVALID_METRIC",
        "INVALID_WEIGHT", "INVALID_PERIOD", "ORPHANED_GOAL", "EXCLUDED_PARENT", "PERIOD_MISMATCH",
        "LEVEL_INVERSION", "CONFLICTING_METRICS", "UNSUPPORTED_GOAL", "UNIT_MISMATCH", "TARGET_SHORTFALL",
        "OVERLOADED_OWNER",
    ];

    /// <summary>The code as the spec and every output spell it, e.g. <c>ORPHANED_GOAL</c>.</summary>
    public static string Name(this FindingCode code) => Names[(int)code];

    public static bool TryParse(string name, out FindingCode code)
    {
        var index = Array.IndexOf(Names, name);
        code = (FindingCode)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>Each code's fixed severity.</summary>
    public static Severity Severity(this FindingCode code) => code switch
    {
        <= FindingCode.InvalidPeriod => Core.Severity.Error,
        FindingCode.OverloadedOwner => Core.Severity.Info,
        _ => Core.Severity.Warning,
    };
}
