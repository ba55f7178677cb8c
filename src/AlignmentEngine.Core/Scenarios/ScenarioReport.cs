namespace AlignmentEngine.Core.Scenarios;

/// <summary>
/// What a priority shift does to an organisation, for analysts: health counts before and after, the goals it
/// newly orphans, the largest progress moves, and the findings that appear and disappear by code. Built from
/// the roll-up before and the change result (of <see cref="AlignmentGraph.Simulate"/> or
/// <see cref="AlignmentGraph.Apply(IReadOnlyList{GoalChange}, DateOnly)"/>), so it costs what the change reached plus one pass over the goals.
/// </summary>
/// <param name="Elapsed">Time the caller measured for the simulation or application.</param>
public sealed record ScenarioReport(
    string Scenario,
    int ChangeCount,
    bool Accepted,
    IReadOnlyDictionary<Health, int> HealthBefore,
    IReadOnlyDictionary<Health, int> HealthAfter,
    IReadOnlyList<string> NewlyOrphaned,
    IReadOnlyList<ValueChange> LargestChanges,
    IReadOnlyDictionary<FindingCode, int> FindingsAppeared,
    IReadOnlyDictionary<FindingCode, int> FindingsDisappeared,
    TimeSpan Elapsed)
{
    /// <summary>
    /// The report of <paramref name="result"/>, the answer to <paramref name="changes"/> on a graph whose roll-up
    /// before the change was <paramref name="before"/> (at the same date). Health after is health before moved by
    /// the goals the change touched; a rejected change set leaves everything as it was.
    /// </summary>
    /// <param name="top">How many of the largest progress changes to keep (by |Δprogress|, then id).</param>
    public static ScenarioReport Of(string scenario, RollupReport before, IReadOnlyList<GoalChange> changes, ChangeResult result, TimeSpan elapsed, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfNegative(top);

        var healthBefore = Enum.GetValues<Health>().ToDictionary(h => h, _ => 0);
        foreach (var goal in before.Goals) healthBefore[goal.Health]++;
        var healthAfter = new Dictionary<Health, int>(healthBefore);
        foreach (var delta in result.Goals)
        {
            if (delta.Before is { } was) healthAfter[was.Health]--;
            if (delta.After is { } now) healthAfter[now.Health]++;
        }

        var largest = result.Goals
            .Select(d => new ValueChange(d.Id, d.Before?.Progress ?? 0, d.After?.Progress ?? 0))
            .Where(c => c.Delta != 0)
            .OrderByDescending(c => Math.Abs(c.Delta))
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .Take(top)
            .ToList();

        return new ScenarioReport(
            scenario,
            changes.Count,
            result.Accepted,
            healthBefore,
            healthAfter,
            [.. result.FindingsAppeared.Where(f => f.Code == FindingCode.OrphanedGoal).Select(f => f.Goal)],
            largest,
            CountByCode(result.FindingsAppeared),
            CountByCode(result.FindingsDisappeared),
            elapsed);
    }

    private static Dictionary<FindingCode, int> CountByCode(IReadOnlyList<Finding> findings) =>
        findings.GroupBy(f => f.Code).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());
}
