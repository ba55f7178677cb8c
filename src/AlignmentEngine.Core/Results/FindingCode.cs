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

    // Each code's place in the spec's result order (severity, then name): a finding sort compares two ints, not two names.
    private static readonly int[] Orders = OrderOfCodes();

    /// <summary>The code as the spec and every output spell it, e.g. <c>ORPHANED_GOAL</c>.</summary>
    public static string Name(this FindingCode code) => Names[(int)code];

    public static bool TryParse(string name, out FindingCode code)
    {
        var index = Array.IndexOf(Names, name);
        code = (FindingCode)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The code's place in the spec's result order: severity first, then the name, ordinal.</summary>
    internal static int Order(this FindingCode code) => Orders[(int)code];

    private static int[] OrderOfCodes()
    {
        var sorted = Enum.GetValues<FindingCode>()
            .OrderBy(c => c.Severity())
            .ThenBy(c => c.Name(), StringComparer.Ordinal)
            .ToArray();
        var orders = new int[sorted.Length];
        for (var k = 0; k < sorted.Length; k++) orders[(int)sorted[k]] = k;
        return orders;
    }

    /// <summary>Each code's fixed severity.</summary>
    public static Severity Severity(this FindingCode code) => code switch
    {
        <= FindingCode.InvalidPeriod => Core.Severity.Error,
        FindingCode.OverloadedOwner => Core.Severity.Info,
        _ => Core.Severity.Warning,
    };
}
