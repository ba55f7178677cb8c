namespace AlignmentEngine.Core;

/// <summary>One goal's computed state at a date (the spec's JSON goal object).</summary>
/// <param name="Progress">value(g) in [0, 1].</param>
/// <param name="Attainment">The metric's ratio before clamping (equal to progress for goals without a metric).</param>
/// <param name="Expected">Expected pace in [0, 1]; null without a resolved period.</param>
/// <param name="Level">The resolved level (own or inherited); null where there is none.</param>
/// <param name="Period">The resolved period; null where there is none.</param>
public sealed record GoalResult(
    string Id,
    double Progress,
    double Attainment,
    double? Expected,
    Health Health,
    bool Counted,
    GoalLevel? Level,
    Period? Period);
