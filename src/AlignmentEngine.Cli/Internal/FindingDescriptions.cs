using AlignmentEngine.Core;

namespace AlignmentEngine.Cli.Internal;

/// <summary>One line per finding code (semantics.md, "Findings"): SARIF rules and the report's legend.</summary>
internal static class FindingDescriptions
{
    public static string Of(FindingCode code) => code switch
    {
        FindingCode.DuplicateId => "A goal repeats an earlier goal's id; the repeat is ignored.",
        FindingCode.UnknownParent => "A goal is aligned to an id that does not exist.",
        FindingCode.DuplicateAlignment => "A goal lists the same parent twice.",
        FindingCode.AlignmentCycle => "Following alignment edges from a goal leads back to it.",
        FindingCode.InvalidMetric => "A metric or a progress override breaks the metric rules.",
        FindingCode.InvalidWeight => "An alignment weight is not a finite number greater than 0.",
        FindingCode.InvalidPeriod => "A period ends before it starts, or names an undeclared period.",
        FindingCode.OrphanedGoal => "A counted goal is not anchored to a company goal.",
        FindingCode.ExcludedParent => "A counted goal is aligned to an excluded (draft, archived, cancelled) parent.",
        FindingCode.PeriodMismatch => "A child's period is not inside its parent's.",
        FindingCode.LevelInversion => "A child's level ranks above its parent's.",
        FindingCode.ConflictingMetrics => "Two goals on the same metric key ask for targets that cannot both be met.",
        FindingCode.UnsupportedGoal => "A counted goal's progress cannot move: no metric and no contributing child.",
        FindingCode.UnitMismatch => "A child's unit differs from its aggregating parent's; it is left out of the sum.",
        FindingCode.TargetShortfall => "The children's targets summed fall short of their aggregating parent's target.",
        FindingCode.OverloadedOwner => "An owner holds more current objectives than the setting allows.",
        _ => code.Name(),
    };
}
